package dev.januslab.scheduler.trace;

import java.util.Arrays;

/**
 * A persistent list of ints that only grows at its end (children of a nursery, nurseries
 * of a task): a cons chain stored newest-first, so adding is O(1) and shares the rest.
 */
final class IntChain {
    static final IntChain EMPTY = new IntChain(0, null, 0);

    private final int last;
    private final IntChain before;
    private final int size;

    private IntChain(int last, IntChain before, int size) {
        this.last = last;
        this.before = before;
        this.size = size;
    }

    IntChain append(int v) {
        return new IntChain(v, this, size + 1);
    }

    int size() {
        return size;
    }

    /** The elements in the order they were appended. */
    int[] toArray() {
        int[] out = new int[size];
        IntChain c = this;
        for (int i = size - 1; i >= 0; i--, c = c.before) out[i] = c.last;
        return out;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof IntChain other) || other.size != size) return false;
        IntChain a = this, b = other;
        while (a != b && a.size > 0) {
            if (a.last != b.last) return false;
            a = a.before;
            b = b.before;
        }
        return true;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(toArray());
    }

    @Override
    public String toString() {
        return Arrays.toString(toArray());
    }
}
