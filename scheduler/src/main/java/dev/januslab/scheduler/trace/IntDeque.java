package dev.januslab.scheduler.trace;

import java.util.Arrays;

/**
 * A growable ring of task ids, index 0 = top (the end the owner pops next). Used only while
 * folding; snapshots copy it into an immutable {@link TaskIds}. Removing by value checks
 * both ends first, where pops and steals happen.
 */
final class IntDeque {
    private int[] ring;
    private int head;
    private int size;

    IntDeque() {
        ring = new int[8];
    }

    IntDeque(int[] contents) {
        ring = Arrays.copyOf(contents, Math.max(8, Integer.highestOneBit(Math.max(1, contents.length)) << 1));
        size = contents.length;
    }

    int size() {
        return size;
    }

    int get(int i) {
        return ring[(head + i) & (ring.length - 1)];
    }

    void addTop(int v) {
        grow();
        head = (head - 1) & (ring.length - 1);
        ring[head] = v;
        size++;
    }

    void addBottom(int v) {
        grow();
        ring[(head + size) & (ring.length - 1)] = v;
        size++;
    }

    /** Removes the first occurrence of {@code v}; returns whether it was there. */
    boolean remove(int v) {
        if (size == 0) return false;
        int mask = ring.length - 1;
        if (ring[head] == v) {
            head = (head + 1) & mask;
            size--;
            return true;
        }
        if (ring[(head + size - 1) & mask] == v) {
            size--;
            return true;
        }
        for (int i = 1; i < size - 1; i++) {
            if (ring[(head + i) & mask] == v) {
                for (int j = i; j < size - 1; j++) ring[(head + j) & mask] = ring[(head + j + 1) & mask];
                size--;
                return true;
            }
        }
        return false;
    }

    int[] toArray() {
        int[] out = new int[size];
        for (int i = 0; i < size; i++) out[i] = get(i);
        return out;
    }

    private void grow() {
        if (size < ring.length) return;
        int[] bigger = new int[ring.length * 2];
        for (int i = 0; i < size; i++) bigger[i] = get(i);
        ring = bigger;
        head = 0;
    }
}
