/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.core.exit;

import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;

/**
 * Bounded ring of recorded VM exits, stored compactly: no object per exit, one byte stream of
 * variable-length records plus one {@code long} per block of {@value #BLOCK_SIZE} records.
 *
 * <p>A record is a header varint (reason id, vCPU 0-14 or an escape to a following varint,
 * which optional fields follow), the guest time as a zig-zag delta from the previous record,
 * the handling duration, the PC, then qualification, info2 and context when non-zero. Exits
 * come from few code sites (the kernel's IO accessors, its MSR helpers, the idle loop), so the
 * PC is either an index into a small table of recently seen sites or a zig-zag delta from
 * the previous PC; info2 is stored relative to the PC when that is shorter (SVM's IOIO
 * EXITINFO2 is the next RIP). Deltas and the site table restart at every block, so any block
 * can be decoded alone; typical exits take 6-12 bytes. When the ring is full the oldest whole
 * block is dropped.
 *
 * <p>One writer (the VM thread) and any number of concurrent readers: readers validate after
 * decoding that what they read was not overwritten meanwhile (a seqlock), so the writer never
 * waits.
 */
public final class ExitTrace {
    public static final int BLOCK_SIZE = 64;
    private static final int BLOCK_SHIFT = 6;
    /** Upper bound of one encoded record: 8 varints of at most 10 bytes. */
    private static final int MAX_RECORD_BYTES = 8 * 10;
    public static final long MIN_CAPACITY = 1L << 16;
    public static final long MAX_CAPACITY = 1L << 30;

    private static final int FLAG_QUAL = 1;
    private static final int FLAG_INFO2 = 2;
    private static final int FLAG_CONTEXT = 4;
    private static final int FLAG_PC_RECENT = 8;
    private static final int FLAG_INFO2_PC_RELATIVE = 16;
    private static final int FLAG_BITS = 5;
    private static final int VCPU_BITS = 4;
    /** vCPU field value meaning "the vCPU number follows as a varint". */
    private static final int VCPU_ESCAPE = (1 << VCPU_BITS) - 1;
    private static final int REASON_SHIFT = FLAG_BITS + VCPU_BITS;
    /** Recently seen exit sites per block (a power of two). */
    private static final int RECENT_SITES = 8;

    private final byte[] buf;
    private final long mask;
    private final long[] blockOffsets;
    private final long blockMask;
    private final byte[] scratch = new byte[MAX_RECORD_BYTES];

    // Writer state (VM thread only).
    private long writePos;
    private long prevTime;
    private long prevPc;
    private final RecentSites writerSites = new RecentSites();

    /** Number of records ever written = sequence number of the next record. */
    private volatile long nextSeq;
    /** Oldest retained record (always a block start once anything was dropped). */
    private volatile long firstSeq;
    /** Logical byte offset where the oldest retained block starts. */
    private long firstOffset;

    /**
     * @param capacityBytes bytes of the record ring, rounded up to a power of two within
     *                      [{@value #MIN_CAPACITY}, 2^30]
     */
    public ExitTrace(long capacityBytes) {
        long cap = Long.highestOneBit(Math.max(MIN_CAPACITY, Math.min(MAX_CAPACITY, capacityBytes)));
        if (cap < capacityBytes && cap < MAX_CAPACITY) {
            cap <<= 1;
        }
        this.buf = new byte[(int) cap];
        this.mask = cap - 1;
        // Records take at least 3 bytes, so at most cap/(3*64) blocks fit; round up to a power of two.
        long blocks = Long.highestOneBit(cap / (3 * BLOCK_SIZE)) << 1;
        this.blockOffsets = new long[(int) Math.max(4, blocks)];
        this.blockMask = blockOffsets.length - 1;
    }

    public long capacityBytes() {
        return buf.length;
    }

    /** Sequence number the next recorded exit gets (= number of exits ever recorded). */
    public long nextSeq() {
        return nextSeq;
    }

    /** Oldest sequence number still held. */
    public long firstSeq() {
        return firstSeq;
    }

    /** Number of exits currently held. */
    public long size() {
        return nextSeq - firstSeq;
    }

    /** Bytes currently used by held records. */
    public synchronized long bytesUsed() {
        return writePos - firstOffset;
    }

    /** Records one exit; returns its sequence number. VM thread only. */
    public long record(int vcpu, int reasonId, long time, long durationNs, long pc, long qualification, long info2,
            long context) {
        long seq = nextSeq;
        RecentSites sites = writerSites;
        if ((seq & (BLOCK_SIZE - 1)) == 0) {
            prevTime = 0;
            prevPc = 0;
            sites.clear();
        }
        int site = sites.indexOf(pc);
        long info2Field = info2;
        boolean info2Relative = false;
        if (info2 != 0) {
            long rel = zigzag(info2 - pc);
            if (varintLength(rel) < varintLength(info2)) {
                info2Field = rel;
                info2Relative = true;
            }
        }
        int flags = (qualification != 0 ? FLAG_QUAL : 0) | (info2 != 0 ? FLAG_INFO2 : 0)
                | (context != 0 ? FLAG_CONTEXT : 0) | (site >= 0 ? FLAG_PC_RECENT : 0)
                | (info2Relative ? FLAG_INFO2_PC_RELATIVE : 0);
        int vcpuField = vcpu >= 0 && vcpu < VCPU_ESCAPE ? vcpu : VCPU_ESCAPE;
        byte[] s = scratch;
        int n = putVarint(s, 0, ((long) reasonId << REASON_SHIFT) | ((long) vcpuField << FLAG_BITS) | flags);
        if (vcpuField == VCPU_ESCAPE) {
            n = putVarint(s, n, vcpu & 0xFFFF_FFFFL);
        }
        n = putVarint(s, n, zigzag(time - prevTime));
        n = putVarint(s, n, Math.max(0, durationNs));
        if (site >= 0) {
            n = putVarint(s, n, site);
        } else {
            n = putVarint(s, n, zigzag(pc - prevPc));
            sites.add(pc);
        }
        if (qualification != 0) {
            n = putVarint(s, n, qualification);
        }
        if (info2 != 0) {
            n = putVarint(s, n, info2Field);
        }
        if (context != 0) {
            n = putVarint(s, n, context);
        }
        prevTime = time;
        prevPc = pc;
        append(seq, s, n);
        nextSeq = seq + 1;
        return seq;
    }

    /** Records an exit given as an object (importers, tests). */
    public long record(VmExit e) {
        return record(e.vcpu(), e.reason().id(), e.time(), e.durationNs(), e.pc(), e.qualification(), e.info2(),
                e.context());
    }

    private void append(long seq, byte[] s, int n) {
        long block = seq >>> BLOCK_SHIFT;
        boolean blockStart = (seq & (BLOCK_SIZE - 1)) == 0;
        // Drop whole old blocks until the record and the block index entry fit.
        while (writePos + n - firstOffset > buf.length
                || (blockStart && block - (firstSeq >>> BLOCK_SHIFT) >= blockOffsets.length)) {
            dropOldestBlock(seq);
        }
        if (blockStart) {
            blockOffsets[(int) (block & blockMask)] = writePos;
        }
        // Make the new firstSeq visible before bytes of dropped blocks get overwritten.
        VarHandle.storeStoreFence();
        long pos = writePos;
        for (int i = 0; i < n; i++) {
            buf[(int) ((pos + i) & mask)] = s[i];
        }
        writePos = pos + n;
    }

    private synchronized void dropOldestBlock(long writingSeq) {
        long first = firstSeq;
        long nextBlockSeq = ((first >>> BLOCK_SHIFT) + 1) << BLOCK_SHIFT;
        if (nextBlockSeq > writingSeq) {
            // Only the block being written is left; the ring is smaller than one block.
            throw new IllegalStateException("exit trace capacity too small for one block");
        }
        firstOffset = blockOffsets[(int) ((nextBlockSeq >>> BLOCK_SHIFT) & blockMask)];
        firstSeq = nextBlockSeq;
    }

    /** Forgets all records; the next record gets sequence number {@link #nextSeq()} still. VM thread only. */
    public synchronized void clear() {
        long seq = nextSeq;
        // Start a fresh block boundary at the current sequence number.
        long aligned = ((seq + BLOCK_SIZE - 1) >>> BLOCK_SHIFT) << BLOCK_SHIFT;
        nextSeq = aligned;
        firstSeq = aligned;
        firstOffset = writePos;
    }

    /**
     * Visits held records from {@code fromSeq} (or the oldest held, if that is later) up to
     * {@code max} records. Returns the sequence number after the last record visited. Safe to
     * call from any thread while the VM records.
     */
    public long read(long fromSeq, long max, ExitRecordVisitor visitor) {
        long seq = Math.max(fromSeq, firstSeq);
        long end = nextSeq;
        long visited = 0;
        while (seq < end && visited < max) {
            long blockEnd = Math.min(end, ((seq >>> BLOCK_SHIFT) + 1) << BLOCK_SHIFT);
            long count = Math.min(blockEnd - seq, max - visited);
            long[] batch = decodeBlockRange(seq, count);
            if (batch == null) {
                // Overwritten while we read: continue from the oldest record still held.
                seq = Math.max(seq, firstSeq);
                continue;
            }
            for (int i = 0; i < count; i++) {
                int o = i * 9;
                if (!visitor.visit(batch[o], (int) batch[o + 1], (int) batch[o + 2], batch[o + 3], batch[o + 4],
                        batch[o + 5], batch[o + 6], batch[o + 7], batch[o + 8])) {
                    return batch[o] + 1;
                }
            }
            visited += count;
            seq += count;
        }
        return seq;
    }

    /**
     * Decodes {@code count} records starting at {@code seq} (all in one block) into a flat
     * array of 9 longs per record, or returns null if the block was overwritten meanwhile.
     */
    private long[] decodeBlockRange(long seq, long count) {
        long block = seq >>> BLOCK_SHIFT;
        if (seq < firstSeq) {
            return null;
        }
        long pos = blockOffsets[(int) (block & blockMask)];
        long s = block << BLOCK_SHIFT;
        long time = 0;
        long pc = 0;
        RecentSites sites = new RecentSites();
        long[] out = new long[(int) count * 9];
        long[] cursor = {pos};
        int k = 0;
        while (s < seq + count) {
            long hdr = getVarint(cursor);
            long vcpu = (hdr >>> FLAG_BITS) & VCPU_ESCAPE;
            if (vcpu == VCPU_ESCAPE) {
                vcpu = (int) getVarint(cursor);
            }
            time += unzigzag(getVarint(cursor));
            long dur = getVarint(cursor);
            if ((hdr & FLAG_PC_RECENT) != 0) {
                // A torn read can yield any index; the seqlock check below discards the result.
                pc = sites.get((int) getVarint(cursor));
            } else {
                pc += unzigzag(getVarint(cursor));
                sites.add(pc);
            }
            long q = (hdr & FLAG_QUAL) != 0 ? getVarint(cursor) : 0;
            long i2 = (hdr & FLAG_INFO2) != 0 ? getVarint(cursor) : 0;
            if ((hdr & FLAG_INFO2_PC_RELATIVE) != 0) {
                i2 = pc + unzigzag(i2);
            }
            long ctx = (hdr & FLAG_CONTEXT) != 0 ? getVarint(cursor) : 0;
            if (s >= seq) {
                out[k++] = s;
                out[k++] = vcpu;
                out[k++] = hdr >>> REASON_SHIFT;
                out[k++] = time;
                out[k++] = dur;
                out[k++] = pc;
                out[k++] = q;
                out[k++] = i2;
                out[k++] = ctx;
            }
            s++;
        }
        VarHandle.loadLoadFence();
        if (seq < firstSeq) {
            return null;
        }
        return out;
    }

    /** The exit with the given sequence number, or null if it is not held (dropped or not yet recorded). */
    public VmExit get(long seq) {
        VmExit[] result = new VmExit[1];
        read(seq, 1, (s, v, r, t, d, pc, q, i2, c) -> {
            if (s == seq) {
                result[0] = new VmExit(s, v, t, d, ExitReasons.byId(r), pc, q, i2, c);
            }
            return false;
        });
        return result[0];
    }

    /** The last {@code n} held exits, oldest first. */
    public List<VmExit> last(int n) {
        long end = nextSeq;
        List<VmExit> out = new ArrayList<>();
        read(Math.max(0, end - n), n, (s, v, r, t, d, pc, q, i2, c) -> {
            out.add(new VmExit(s, v, t, d, ExitReasons.byId(r), pc, q, i2, c));
            return true;
        });
        return out;
    }

    private long getVarint(long[] cursor) {
        long pos = cursor[0];
        long value = 0;
        int shift = 0;
        while (true) {
            byte b = buf[(int) (pos++ & mask)];
            value |= (long) (b & 0x7F) << shift;
            if (b >= 0 || shift >= 63) {
                break;
            }
            shift += 7;
        }
        cursor[0] = pos;
        return value;
    }

    static int varintLength(long v) {
        return v == 0 ? 1 : (63 - Long.numberOfLeadingZeros(v)) / 7 + 1;
    }

    static int putVarint(byte[] out, int pos, long v) {
        while ((v & ~0x7FL) != 0) {
            out[pos++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out[pos++] = (byte) v;
        return pos;
    }

    static long zigzag(long v) {
        return (v << 1) ^ (v >> 63);
    }

    static long unzigzag(long v) {
        return (v >>> 1) ^ -(v & 1);
    }

    /**
     * The exit sites (PCs) last seen in a block, replaced round-robin; the writer and every
     * reader rebuild the same table from the same records.
     */
    private static final class RecentSites {
        private final long[] pcs = new long[RECENT_SITES];
        private int used;
        private int next;

        void clear() {
            used = 0;
            next = 0;
        }

        int indexOf(long pc) {
            long[] p = pcs;
            for (int i = 0; i < used; i++) {
                if (p[i] == pc) {
                    return i;
                }
            }
            return -1;
        }

        long get(int index) {
            return pcs[index & (RECENT_SITES - 1)];
        }

        void add(long pc) {
            pcs[next] = pc;
            next = (next + 1) & (RECENT_SITES - 1);
            if (used < RECENT_SITES) {
                used++;
            }
        }
    }
}
