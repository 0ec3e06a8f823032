package dev.januslab.scheduler.trace;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/** A persistent append-only list (program output, escaped errors): a cons chain stored newest-first. */
final class Chain<T> {
    private static final Chain<?> EMPTY = new Chain<>(null, null, 0);

    private final T last;
    private final Chain<T> before;
    private final int size;

    private Chain(T last, Chain<T> before, int size) {
        this.last = last;
        this.before = before;
        this.size = size;
    }

    @SuppressWarnings("unchecked")
    static <T> Chain<T> empty() {
        return (Chain<T>) EMPTY;
    }

    Chain<T> append(T v) {
        return new Chain<>(v, this, size + 1);
    }

    int size() {
        return size;
    }

    T last() {
        return last;
    }

    /** The elements in the order they were appended. */
    List<T> toList() {
        List<T> out = new ArrayList<>(size);
        for (Chain<T> c = this; c.size > 0; c = c.before) out.add(c.last);
        Collections.reverse(out);
        return out;
    }

    /** The newest {@code n} elements, oldest first. */
    List<T> tail(int n) {
        List<T> out = new ArrayList<>(Math.min(n, size));
        for (Chain<T> c = this; c.size > 0 && out.size() < n; c = c.before) out.add(c.last);
        Collections.reverse(out);
        return out;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof Chain<?> other) || other.size != size) return false;
        Chain<?> a = this, b = other;
        while (a != b && a.size > 0) {
            if (!Objects.equals(a.last, b.last)) return false;
            a = a.before;
            b = b.before;
        }
        return true;
    }

    @Override
    public int hashCode() {
        return toList().hashCode();
    }
}
