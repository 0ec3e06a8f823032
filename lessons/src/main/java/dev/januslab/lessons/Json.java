package dev.januslab.lessons;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Set;

/**
 * A JSON node of {@code lesson.json} with its file and path, so every read can fail with a
 * message naming both. Only what the lesson format needs: objects with known fields,
 * strings, numbers, lists.
 */
record Json(String file, String path, JsonNode node) {

    LessonException error(String message) {
        return new LessonException(file, path, message);
    }

    Json get(String field) {
        return new Json(file, path + "." + field, node.get(field));
    }

    Json at(int index) {
        return new Json(file, path + "[" + index + "]", node.get(index));
    }

    boolean has(String field) {
        return node.has(field) && !node.get(field).isNull();
    }

    boolean isObject() {
        return node != null && node.isObject();
    }

    boolean isArray() {
        return node != null && node.isArray();
    }

    boolean isMissing() {
        return node == null || node.isNull();
    }

    Json object() {
        if (!isObject()) throw error(isMissing() ? "missing (an object is required)" : "must be an object, not " + describe());
        return this;
    }

    /** Fails on a field outside {@code allowed} (a typo in a field name must not be silently ignored). */
    Json onlyFields(Set<String> allowed) {
        object();
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String n = names.next();
            if (!allowed.contains(n)) {
                throw new LessonException(file, path + "." + n, "unknown field; expected one of " + String.join(", ", sorted(allowed)));
            }
        }
        return this;
    }

    int size() {
        if (!isArray()) throw error(isMissing() ? "missing (a list is required)" : "must be a list, not " + describe());
        return node.size();
    }

    String string() {
        if (isMissing()) throw error("missing (a string is required)");
        if (!node.isTextual()) throw error("must be a string, not " + describe());
        return node.asText();
    }

    String nonEmptyString() {
        String s = string();
        if (s.isBlank()) throw error("must not be empty");
        return s;
    }

    long integer() {
        if (isMissing()) throw error("missing (a whole number is required)");
        if (!node.isIntegralNumber() || !node.canConvertToLong()) throw error("must be a whole number, not " + describe());
        return node.asLong();
    }

    int positiveInt() {
        long v = integer();
        if (v < 1 || v > Integer.MAX_VALUE) throw error("must be at least 1, not " + v);
        return (int) v;
    }

    double number() {
        if (isMissing()) throw error("missing (a number is required)");
        if (!node.isNumber()) throw error("must be a number, not " + describe());
        return node.asDouble();
    }

    String describe() {
        if (node == null || node.isNull()) return "null";
        if (node.isTextual()) return "the string " + node;
        if (node.isNumber()) return "the number " + node;
        if (node.isBoolean()) return node.asText();
        if (node.isArray()) return "a list";
        return "an object";
    }

    private static java.util.List<String> sorted(Set<String> s) {
        return s.stream().sorted().toList();
    }
}
