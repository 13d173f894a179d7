/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.debug.ui.views;

import java.util.Arrays;
import java.util.List;

import io.hvdbg.core.exit.ExitCategory;
import io.hvdbg.core.exit.ExitReason;
import io.hvdbg.core.exit.ExitReasons;
import io.hvdbg.core.exit.ExitRecordVisitor;
import io.hvdbg.core.exit.ExitTrace;

/**
 * The exits of the Exit Timeline in primitive arrays, one lane per vCPU, plus a
 * level-of-detail index: for blocks of 64, 4096 and 262144 consecutive exits of a lane, the
 * set of categories (a bit mask) they contain. A pixel column then costs two binary searches
 * and a few dozen mask ORs whatever the number of exits it covers, so 10M exits draw as fast
 * as 10K. Filtering by reason only rebuilds the masks.
 */
public final class TimelineModel implements ExitRecordVisitor {
    static final int SHIFT = 6;
    static final int LEVELS = 3;

    private final String[] reasonNames;
    private final byte[] reasonCategory;
    private boolean[] reasonShown;
    private Lane[] lanes = new Lane[0];
    private long count;
    private long nextSeq;

    /**
     * @param reasonNames    native reason name by reason id
     * @param reasonCategory {@link ExitCategory} ordinal by reason id
     */
    public TimelineModel(String[] reasonNames, byte[] reasonCategory) {
        this.reasonNames = reasonNames;
        this.reasonCategory = reasonCategory;
        this.reasonShown = new boolean[reasonNames.length];
        Arrays.fill(reasonShown, true);
    }

    /** One vCPU's exits in time order. */
    public static final class Lane {
        final int vcpu;
        long[] time = new long[1024];
        long[] seq = new long[1024];
        short[] reason = new short[1024];
        int size;
        int[][] masks = new int[LEVELS][];
        int indexed;
        /** time of every 64th exit, for the lowerBound of indexed exits */
        long[] coarse = new long[0];
        int coarseBlocks;

        Lane(int vcpu) {
            this.vcpu = vcpu;
        }

        public int vcpu() {
            return vcpu;
        }

        public int size() {
            return size;
        }

        public long time(int i) {
            return time[i];
        }

        public long seq(int i) {
            return seq[i];
        }

        public int reason(int i) {
            return reason[i];
        }

        void add(long t, long s, int r) {
            if (size == time.length) {
                int n = size + (size >> 1);
                time = Arrays.copyOf(time, n);
                seq = Arrays.copyOf(seq, n);
                reason = Arrays.copyOf(reason, n);
            }
            time[size] = t;
            seq[size] = s;
            reason[size] = (short) r;
            size++;
        }

        /** First index with time >= t. */
        public int lowerBound(long t) {
            int lo = 0;
            int hi = size;
            long[] c = coarse;
            int blocks = coarseBlocks;
            if (blocks > 1) {
                // first search the small per-64 index (stays in cache), then one block of 64
                int clo = 0;
                int chi = blocks;
                while (clo < chi) {
                    int mid = (clo + chi) >>> 1;
                    if (c[mid] < t) {
                        clo = mid + 1;
                    } else {
                        chi = mid;
                    }
                }
                // blocks before clo start below t; block clo starts at or after t
                lo = clo == 0 ? 0 : (clo - 1) << SHIFT;
                hi = clo < blocks ? clo << SHIFT : size;
            }
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (time[mid] < t) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo;
        }
    }

    /** Makes room for {@code perLane} exits in each of {@code vcpus} lanes (bulk loads). */
    public void reserve(int vcpus, int perLane) {
        if (vcpus > lanes.length) {
            int old = lanes.length;
            lanes = Arrays.copyOf(lanes, vcpus);
            for (int i = old; i < vcpus; i++) {
                lanes[i] = new Lane(i);
            }
        }
        for (Lane l : lanes) {
            if (l.time.length < perLane) {
                l.time = Arrays.copyOf(l.time, perLane);
                l.seq = Arrays.copyOf(l.seq, perLane);
                l.reason = Arrays.copyOf(l.reason, perLane);
            }
        }
    }

    /** Adds one exit (as the trace and qHvdbg.exits deliver them, in sequence order). */
    @Override
    public boolean visit(long seq, int vcpu, int reasonId, long time, long durationNs, long pc, long qualification,
            long info2, long context) {
        add(seq, vcpu, reasonId, time);
        return true;
    }

    public void add(long seq, int vcpu, int reasonId, long time) {
        if (vcpu >= lanes.length) {
            int old = lanes.length;
            lanes = Arrays.copyOf(lanes, vcpu + 1);
            for (int i = old; i <= vcpu; i++) {
                lanes[i] = new Lane(i);
            }
        }
        Lane l = lanes[vcpu];
        // a lane is kept in time order; guest time of one vCPU does not go back
        if (l.size > 0 && time < l.time[l.size - 1]) {
            time = l.time[l.size - 1];
        }
        l.add(time, seq, reasonId);
        count++;
        nextSeq = seq + 1;
    }

    /** Brings the level-of-detail masks up to date (after adds or a filter change). */
    public void index() {
        for (Lane l : lanes) {
            for (int level = 0; level < LEVELS; level++) {
                int shift = SHIFT * (level + 1);
                int blocks = (l.size >> shift) + 1;
                int[] m = l.masks[level];
                if (m == null || m.length < blocks) {
                    l.masks[level] = m = Arrays.copyOf(m == null ? new int[0] : m, blocks + (blocks >> 1) + 1);
                }
                int from = l.indexed >> shift;
                Arrays.fill(m, from, blocks, 0);
                if (level == 0) {
                    for (int i = from << shift; i < l.size; i++) {
                        m[i >> shift] |= elementMask(l.reason[i]);
                    }
                } else {
                    int[] below = l.masks[level - 1];
                    int belowBlocks = (l.size >> (shift - SHIFT)) + 1;
                    for (int b = from << SHIFT; b < belowBlocks; b++) {
                        m[b >> SHIFT] |= below[b];
                    }
                }
            }
            l.indexed = l.size;
            int blocks = (l.size + (1 << SHIFT) - 1) >> SHIFT;
            if (l.coarse.length < blocks) {
                l.coarse = Arrays.copyOf(l.coarse, blocks + (blocks >> 1) + 1);
            }
            for (int k = 0; k < blocks; k++) {
                l.coarse[k] = l.time[k << SHIFT];
            }
            l.coarseBlocks = blocks;
        }
    }

    private int elementMask(int reason) {
        return reason < reasonShown.length && reasonShown[reason] ? 1 << reasonCategory[reason] : 0;
    }

    /** Whether an exit of this reason passes the filter. */
    public boolean shown(int reason) {
        return reason < reasonShown.length && reasonShown[reason];
    }

    /** Shows only these reason ids (null: all). */
    public void setFilter(boolean[] shown) {
        reasonShown = new boolean[reasonNames.length];
        if (shown == null) {
            Arrays.fill(reasonShown, true);
        } else {
            System.arraycopy(shown, 0, reasonShown, 0, Math.min(shown.length, reasonShown.length));
        }
        for (Lane l : lanes) {
            l.indexed = 0;
        }
        index();
    }

    /** The categories (bit i = ExitCategory ordinal i) of the shown exits in [a, b) of a lane. */
    public int mask(Lane l, int a, int b) {
        int m = 0;
        int level = 0; // 0: elements; k: blocks of 64^k
        while (a < b) {
            int shift = SHIFT * level;
            int nextShift = shift + SHIFT;
            if (level < LEVELS && (a >> nextShift) < (b >> nextShift)) {
                int aligned = ((a + (1 << nextShift) - 1) >> nextShift) << nextShift;
                m |= range(l, level, a >> shift, aligned >> shift);
                a = aligned;
                level++;
            } else {
                int end = (b >> shift) << shift;
                m |= range(l, level, a >> shift, end >> shift);
                a = end;
                if (level == 0) {
                    break;
                }
                level--;
            }
        }
        return m;
    }

    private int range(Lane l, int level, int from, int to) {
        int m = 0;
        if (level == 0) {
            for (int i = from; i < to; i++) {
                m |= elementMask(l.reason[i]);
            }
        } else {
            int[] masks = l.masks[level - 1];
            for (int i = from; i < to; i++) {
                m |= masks[i];
            }
        }
        return m;
    }

    public Lane[] lanes() {
        return lanes;
    }

    public long count() {
        return count;
    }

    public long nextSeq() {
        return nextSeq;
    }

    public void setNextSeq(long seq) {
        nextSeq = seq;
    }

    public long minTime() {
        long t = Long.MAX_VALUE;
        for (Lane l : lanes) {
            if (l.size > 0) {
                t = Math.min(t, l.time[0]);
            }
        }
        return t == Long.MAX_VALUE ? 0 : t;
    }

    public long maxTime() {
        long t = 0;
        for (Lane l : lanes) {
            if (l.size > 0) {
                t = Math.max(t, l.time[l.size - 1]);
            }
        }
        return t;
    }

    public String reasonName(int reason) {
        return reason < reasonNames.length && reasonNames[reason] != null ? reasonNames[reason] : "reason " + reason;
    }

    public ExitCategory category(int reason) {
        return ExitCategory.values()[reason < reasonCategory.length ? reasonCategory[reason] : ExitCategory.OTHER.ordinal()];
    }

    public int reasonCount() {
        return reasonNames.length;
    }

    /** Categories present in the shown exits. */
    public int presentCategories() {
        int m = 0;
        for (Lane l : lanes) {
            m |= mask(l, 0, l.size);
        }
        return m;
    }

    /** Index of the shown exit of a lane nearest to time t within maxDistance, or -1. */
    public int nearest(Lane l, long t, long maxDistance) {
        int i = l.lowerBound(t);
        int best = -1;
        long bestD = maxDistance + 1;
        for (int j = i; j < l.size && l.time[j] - t <= maxDistance; j++) {
            if (shown(l.reason[j])) {
                best = j;
                bestD = l.time[j] - t;
                break;
            }
        }
        for (int j = i - 1; j >= 0 && t - l.time[j] <= maxDistance; j--) {
            if (shown(l.reason[j])) {
                if (t - l.time[j] < bestD) {
                    best = j;
                }
                break;
            }
        }
        return best;
    }

    /** Number of exits (shown or not) of a lane in [t0, t1). */
    public int countIn(Lane l, long t0, long t1) {
        return l.lowerBound(t1) - l.lowerBound(t0);
    }

    /** A model of the exits an {@link ExitTrace} holds, with the core's reason registry. */
    public static TimelineModel of(ExitTrace trace) {
        List<ExitReason> all = ExitReasons.all();
        int max = 0;
        for (ExitReason r : all) {
            max = Math.max(max, r.id() + 1);
        }
        String[] names = new String[max];
        byte[] cats = new byte[max];
        for (ExitReason r : all) {
            names[r.id()] = r.name();
            cats[r.id()] = (byte) r.category().ordinal();
        }
        TimelineModel m = new TimelineModel(names, cats);
        trace.read(trace.firstSeq(), Long.MAX_VALUE, m);
        m.setNextSeq(trace.nextSeq());
        m.index();
        return m;
    }
}
