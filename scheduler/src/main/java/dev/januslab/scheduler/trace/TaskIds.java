package dev.januslab.scheduler.trace;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.RandomAccess;

/** An immutable list of task (or nursery) ids backed by an int array: queue contents, children. */
public final class TaskIds extends AbstractList<Integer> implements RandomAccess {
    public static final TaskIds EMPTY = new TaskIds(new int[0]);

    private final int[] ids;

    private TaskIds(int[] ids) {
        this.ids = ids;
    }

    /** Wraps {@code ids} without copying: the caller must not change the array afterwards. */
    static TaskIds wrap(int[] ids) {
        return ids.length == 0 ? EMPTY : new TaskIds(ids);
    }

    public static TaskIds of(int... ids) {
        return wrap(ids.clone());
    }

    @Override
    public Integer get(int index) {
        return ids[index];
    }

    /** The id at {@code index} without boxing. */
    public int id(int index) {
        return ids[index];
    }

    @Override
    public int size() {
        return ids.length;
    }

    public int[] toIntArray() {
        return ids.clone();
    }

    public boolean containsId(int id) {
        for (int v : ids) if (v == id) return true;
        return false;
    }

    @Override
    public boolean equals(Object o) {
        if (o instanceof TaskIds other) return Arrays.equals(ids, other.ids);
        return super.equals(o);
    }

    @Override
    public int hashCode() {
        return super.hashCode();
    }
}
