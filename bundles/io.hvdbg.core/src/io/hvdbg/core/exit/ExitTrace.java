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
 * <p>A record is a header varint (reason id, vCPU, which optional fields follow), the guest
 * time as a zig-zag delta from the previous record, the handling duration, the PC as a zig-zag
 * delta, then qualification, info2 and context when non-zero. Deltas restart at every block,
 * so any block can be decoded alone; typical exits take 7-12 bytes. When the ring is full the
 * oldest whole block is dropped.
 *
 * <p>One writer (the VM thread) and any number of concurrent readers: readers validate after
 * decoding that what they read was not overwritten meanwhile (a seqlock), so the writer never
 * waits.
 */
public final class ExitTrace {
    public static final int BLOCK_SIZE = 64;
    private static final int BLOCK_SHIFT = 6;
    /** Upper bound of one encoded record: 3 + 6 varints of at most 10 bytes. */
    private static final int MAX_RECORD_BYTES = 3 + 7 * 10;
    public static final long MIN_CAPACITY = 1L << 16;
    public static final long MAX_CAPACITY = 1L << 30;

    private static final int FLAG_QUAL = 1;
    private static final int FLAG_INFO2 = 2;
    private static final int FLAG_CONTEXT = 4;

    private final byte[] buf;
    private final long mask;
    private final long[] blockOffsets;
    private final long blockMask;
    private final byte[] scratch = new byte[MAX_RECORD_BYTES];

    // Writer state (VM thread only).
    private long writePos;
    private long prevTime;
    private long prevPc;

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
        if ((seq & (BLOCK_SIZE - 1)) == 0) {
            prevTime = 0;
            prevPc = 0;
        }
        int flags = (qualification != 0 ? FLAG_QUAL : 0) | (info2 != 0 ? FLAG_INFO2 : 0)
                | (context != 0 ? FLAG_CONTEXT : 0);
        byte[] s = scratch;
        int n = putVarint(s, 0, ((long) reasonId << 11) | ((long) (vcpu & 0xFF) << 3) | flags);
        n = putVarint(s, n, zigzag(time - prevTime));
        n = putVarint(s, n, Math.max(0, durationNs));
        n = putVarint(s, n, zigzag(pc - prevPc));
        if (qualification != 0) {
            n = putVarint(s, n, qualification);
        }
        if (info2 != 0) {
            n = putVarint(s, n, info2);
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
        long[] out = new long[(int) count * 9];
        long[] cursor = {pos};
        int k = 0;
        while (s < seq + count) {
            long hdr = getVarint(cursor);
            time += unzigzag(getVarint(cursor));
            long dur = getVarint(cursor);
            pc += unzigzag(getVarint(cursor));
            long q = (hdr & FLAG_QUAL) != 0 ? getVarint(cursor) : 0;
            long i2 = (hdr & FLAG_INFO2) != 0 ? getVarint(cursor) : 0;
            long ctx = (hdr & FLAG_CONTEXT) != 0 ? getVarint(cursor) : 0;
            if (s >= seq) {
                out[k++] = s;
                out[k++] = (hdr >>> 3) & 0xFF;
                out[k++] = hdr >>> 11;
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
}
