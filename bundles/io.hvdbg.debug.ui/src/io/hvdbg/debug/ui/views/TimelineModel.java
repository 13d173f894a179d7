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
 * The exits of the Exit Timeline in primitive arrays, one lane per vCPU, with two
 * level-of-detail summaries of each lane's categories (bit masks of {@link ExitCategory}
 * ordinals of the shown exits):
 * <ul>
 * <li>by position: for blocks of 64, 4096 and 262144 consecutive exits, so that the mask of
 * any index range costs a few dozen ORs ({@link #mask});</li>
 * <li>by guest time: for power-of-two time buckets (at most {@link #TIME_BUCKETS} of the
 * finest size, then halving level by level), built once as exits arrive. When a pixel column
 * spans two buckets or more, its mask is the OR of two to four buckets of the right level, so a
 * redraw costs O(pixels) at any zoom and any number of exits ({@link #columnMasks}).</li>
 * </ul>
 * Filtering by reason only rebuilds the masks.
 */
public final class TimelineModel implements ExitRecordVisitor {
    static final int SHIFT = 6;
    static final int LEVELS = 3;
    /** Finest time buckets per lane; the coarser levels halve it down to one bucket. */
    public static final int TIME_BUCKETS = 1 << 16;
    static final int TIME_LEVELS = 17;

    private final String[] reasonNames;
    private final byte[] reasonCategory;
    private boolean[] reasonShown;
    /** Category bit of each reason id if shown, else 0: the per-exit cost of building masks. */
    private int[] reasonMask;
    private Lane[] lanes = new Lane[0];
    /** Guest time of the start of time bucket 0, and log2 of the finest bucket width (-1: none yet). */
    private long timeOrigin;
    private int timeShift = -1;
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
        updateReasonMasks();
    }

    private void updateReasonMasks() {
        reasonMask = new int[reasonNames.length];
        for (int r = 0; r < reasonMask.length; r++) {
            reasonMask[r] = reasonShown[r] ? 1 << reasonCategory[r] : 0;
        }
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
        /** time-bucket masks by level (level k: buckets of 2^(timeShift+k) ns), null until indexed */
        int[][] timeMasks;
        int timeIndexed;

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

        /**
         * First index at or after {@code from} with time >= t, by galloping from {@code from}:
         * O(log d) for an answer d exits further, so sweeping pixel columns left to right costs
         * what the columns hold, not a search of the whole lane per column.
         */
        public int lowerBoundFrom(int from, long t) {
            if (from >= size || time[from] >= t) {
                return from;
            }
            int lo = from; // time[lo] < t
            int step = 1;
            int hi = from + 1;
            while (hi < size && time[hi] < t) {
                lo = hi;
                step <<= 1;
                hi = from + step;
            }
            hi = Math.min(hi, size);
            lo++;
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
        indexTime();
    }

    /** Brings the time-bucket masks up to date: new exits only, unless the buckets must grow. */
    private void indexTime() {
        if (count == 0) {
            return;
        }
        long min = minTime();
        long max = maxTime();
        if (timeShift < 0 || min < timeOrigin) {
            timeOrigin = min;
            timeShift = 0;
            resetTimeMasks();
        }
        if (((max - timeOrigin) >>> timeShift) >= TIME_BUCKETS) {
            // the trace outgrew the finest buckets: widen them (a doubling, so O(n) amortized)
            while (((max - timeOrigin) >>> timeShift) >= TIME_BUCKETS) {
                timeShift++;
            }
            resetTimeMasks();
        }
        for (Lane l : lanes) {
            indexTime(l);
        }
    }

    private void resetTimeMasks() {
        for (Lane l : lanes) {
            l.timeIndexed = 0;
            if (l.timeMasks != null) {
                for (int[] level : l.timeMasks) {
                    Arrays.fill(level, 0);
                }
            }
        }
    }

    private void indexTime(Lane l) {
        int from = l.timeIndexed;
        if (from >= l.size) {
            return;
        }
        if (l.timeMasks == null) {
            l.timeMasks = new int[TIME_LEVELS][];
            for (int k = 0; k < TIME_LEVELS; k++) {
                l.timeMasks[k] = new int[Math.max(1, TIME_BUCKETS >> k)];
            }
        }
        int[] finest = l.timeMasks[0];
        long[] time = l.time;
        short[] reason = l.reason;
        int[] masks = reasonMask;
        long origin = timeOrigin;
        int shift = timeShift;
        int first = (int) ((time[from] - origin) >>> shift);
        int last = first;
        for (int i = from; i < l.size; i++) {
            last = (int) ((time[i] - origin) >>> shift);
            int r = reason[i];
            finest[last] |= r < masks.length ? masks[r] : 0;
        }
        for (int k = 1; k < TIME_LEVELS; k++) {
            int[] below = l.timeMasks[k - 1];
            int[] level = l.timeMasks[k];
            first >>= 1;
            last >>= 1;
            for (int b = first; b <= last; b++) {
                int c = 2 * b;
                level[b] = below[c] | (c + 1 < below.length ? below[c + 1] : 0);
            }
        }
        l.timeIndexed = l.size;
    }

    /** Width in ns of the finest time bucket (0 before the first {@link #index}). */
    public long timeBucketNanos() {
        return timeShift < 0 ? 0 : 1L << timeShift;
    }

    /** Guest time where time bucket 0 starts. */
    public long timeOrigin() {
        return timeOrigin;
    }

    /**
     * The categories of each of {@code width} pixel columns of a lane showing guest time
     * [start, end): column x covers [start + ceil(span*x/width), start + ceil(span*(x+1)/width)).
     * Exact (from the position index) while a column spans less than two finest time buckets;
     * wider columns OR two to four time buckets of the level just below the column width, and
     * then a column takes the buckets that start in it, so an exit may show one column left of
     * its exact one (less than half a pixel of time away). Costs O(width) at those zooms.
     */
    public void columnMasks(Lane l, long start, long end, int width, int[] out) {
        long span = end - start;
        double nsPerPixel = (double) span / width;
        if (timeShift >= 0 && l.timeMasks != null && l.timeIndexed == l.size
                && nsPerPixel >= 2.0 * (1L << timeShift)) {
            int k = 0;
            while (k + 1 < TIME_LEVELS && 2.0 * (1L << (timeShift + k + 1)) <= nsPerPixel) {
                k++;
            }
            int[] level = l.timeMasks[k];
            int shift = timeShift + k;
            int n = level.length;
            long b0 = bucketAtOrAfter(start, shift);
            for (int x = 0; x < width; x++) {
                long t1 = start + (long) Math.ceil((double) span * (x + 1) / width);
                long b1 = bucketAtOrAfter(t1, shift);
                int m = 0;
                for (long b = Math.max(0, b0), e = Math.min(n, b1); b < e; b++) {
                    m |= level[(int) b];
                }
                out[x] = m;
                b0 = b1;
            }
            return;
        }
        int a = l.lowerBound(start);
        for (int x = 0; x < width; x++) {
            long t1 = start + (long) Math.ceil((double) span * (x + 1) / width);
            int b = l.lowerBoundFrom(a, t1);
            out[x] = b > a ? mask(l, a, b) : 0;
            a = b;
        }
    }

    /** Index of the first bucket (width 2^shift) that starts at or after t. */
    private long bucketAtOrAfter(long t, int shift) {
        long d = t - timeOrigin;
        return d <= 0 ? 0 : ((d - 1) >> shift) + 1;
    }

    private int elementMask(int reason) {
        return reason < reasonMask.length ? reasonMask[reason] : 0;
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
        updateReasonMasks();
        for (Lane l : lanes) {
            l.indexed = 0;
        }
        resetTimeMasks();
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
