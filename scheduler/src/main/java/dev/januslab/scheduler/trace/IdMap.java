package dev.januslab.scheduler.trace;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ObjIntConsumer;

/**
 * A persistent map from small non-negative int ids (tasks, nurseries) to values: a 32-way
 * radix trie with path copying. Keyframes share every node they have in common, so a
 * snapshot costs O(1) and a change copies at most one path (depth ≤ 7).
 *
 * <p>Changes go through an {@link Editor}, which mutates in place the nodes it created
 * since its last {@link Editor#snapshot()} and copies the others (Clojure's transients).
 * A published {@code IdMap} is immutable and safe to read from any thread.
 */
final class IdMap<V> {
    private static final int BITS = 5;
    private static final int WIDTH = 1 << BITS;
    private static final int MASK = WIDTH - 1;

    private static final IdMap<?> EMPTY = new IdMap<>(null, 0, 0);

    /** A trie node; {@code edit} is the token of the editor allowed to mutate it in place. */
    private static final class Node {
        final Object edit;
        final Object[] slots;

        Node(Object edit, Object[] slots) {
            this.edit = edit;
            this.slots = slots;
        }
    }

    private final Node root;
    /** The root's level: it indexes keys by bits [shift, shift+5); leaves are level 0. */
    private final int shift;
    private final int size;

    private IdMap(Node root, int shift, int size) {
        this.root = root;
        this.shift = shift;
        this.size = size;
    }

    @SuppressWarnings("unchecked")
    static <V> IdMap<V> empty() {
        return (IdMap<V>) EMPTY;
    }

    int size() {
        return size;
    }

    V get(int key) {
        return lookup(root, shift, key);
    }

    @SuppressWarnings("unchecked")
    private static <V> V lookup(Node root, int shift, int key) {
        if (key < 0 || root == null || !fits(key, shift)) return null;
        Node n = root;
        for (int s = shift; s > 0; s -= BITS) {
            n = (Node) n.slots[(key >>> s) & MASK];
            if (n == null) return null;
        }
        return (V) n.slots[key & MASK];
    }

    private static boolean fits(int key, int shift) {
        return shift + BITS >= 31 || (key >>> (shift + BITS)) == 0;
    }

    /** Calls {@code action} for every entry in increasing key order. */
    void forEach(ObjIntConsumer<V> action) {
        if (root != null) walk(root, shift, 0, action);
    }

    @SuppressWarnings("unchecked")
    private static <V> void walk(Node n, int shift, int base, ObjIntConsumer<V> action) {
        Object[] slots = n.slots;
        for (int i = 0; i < WIDTH; i++) {
            Object o = slots[i];
            if (o == null) continue;
            int key = base | (i << shift);
            if (shift == 0) action.accept((V) o, key);
            else walk((Node) o, shift - BITS, key, action);
        }
    }

    /** The values in increasing key order. */
    List<V> values() {
        List<V> out = new ArrayList<>(size);
        forEach((v, k) -> out.add(v));
        return out;
    }

    Editor<V> editor() {
        return new Editor<>(this);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof IdMap<?> other) || other.size != size) return false;
        boolean[] same = {true};
        forEach((v, k) -> {
            if (same[0] && !v.equals(other.get(k))) same[0] = false;
        });
        return same[0];
    }

    @Override
    public int hashCode() {
        int[] h = {size};
        forEach((v, k) -> h[0] = 31 * h[0] + k * 17 + v.hashCode());
        return h[0];
    }

    /** A mutable view that edits in place what it owns and copies what it shares. */
    static final class Editor<V> {
        private Object edit = new Object();
        private Node root;
        private int shift;
        private int size;

        private Editor(IdMap<V> from) {
            root = from.root;
            shift = from.shift;
            size = from.size;
        }

        V get(int key) {
            return lookup(root, shift, key);
        }

        int size() {
            return size;
        }

        /** Sets {@code key} to {@code value}; a null value removes the key. Negative keys are ignored. */
        void put(int key, V value) {
            if (key < 0) return;
            if (value == null && get(key) == null) return;
            if (root == null) {
                root = new Node(edit, new Object[WIDTH]);
                shift = 0;
            }
            while (!fits(key, shift)) {
                Node r = new Node(edit, new Object[WIDTH]);
                r.slots[0] = root;
                root = r;
                shift += BITS;
            }
            root = owned(root);
            Node n = root;
            for (int s = shift; s > 0; s -= BITS) {
                int i = (key >>> s) & MASK;
                Node child = (Node) n.slots[i];
                child = child == null ? new Node(edit, new Object[WIDTH]) : owned(child);
                n.slots[i] = child;
                n = child;
            }
            int i = key & MASK;
            Object old = n.slots[i];
            n.slots[i] = value;
            if (old == null && value != null) size++;
            else if (old != null && value == null) size--;
        }

        private Node owned(Node n) {
            return n.edit == edit ? n : new Node(edit, n.slots.clone());
        }

        /** Freezes the current contents; later edits copy instead of mutating them. */
        IdMap<V> snapshot() {
            IdMap<V> m = new IdMap<>(root, shift, size);
            edit = new Object();
            return m;
        }
    }
}
