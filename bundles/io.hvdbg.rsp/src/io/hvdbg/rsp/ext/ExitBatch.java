/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.rsp.ext;

import io.hvdbg.core.exit.ExitRecordVisitor;
import io.hvdbg.core.exit.ExitTrace;
import io.hvdbg.rsp.codec.PacketBuffer;

/**
 * The body of a {@code qHvdbg.exits} reply: a header, then exit records in the encoding the
 * core's {@link ExitTrace} uses, with the deltas restarting at the first record of the batch.
 *
 * <pre>
 * header : varint firstSeq   sequence number of the first record in the batch
 *          varint count      records in the batch (consecutive sequence numbers)
 *          varint nextSeq    the trace's next sequence number when the batch was cut
 *          varint oldestSeq  the oldest record the trace still held
 * record : varint head       reasonId &lt;&lt; 11 | vcpu &lt;&lt; 3 | flags (1 qual, 2 info2, 4 context)
 *          varint zigzag(time - previous time)
 *          varint durationNs
 *          varint zigzag(pc - previous pc)
 *          varint qualification   if flag 1
 *          varint info2           if flag 2
 *          varint context         if flag 4
 * </pre>
 * A batch whose firstSeq is above the requested sequence number means the ring dropped the
 * records in between. Typical records take 7-12 bytes.
 */
public final class ExitBatch {
    private static final int FLAG_QUAL = 1;
    private static final int FLAG_INFO2 = 2;
    private static final int FLAG_CONTEXT = 4;
    /** Worst case of one record on the wire: 7 varints of 10 bytes, each byte possibly escaped. */
    static final int MAX_RECORD_WIRE_BYTES = 7 * 10 * 2;

    private ExitBatch() {
    }

    /** Header fields of a decoded batch. */
    public record Header(long firstSeq, int count, long nextSeq, long oldestSeq) {
    }

    /**
     * Encodes up to {@code maxRecords} records from {@code fromSeq} into {@code out} (escaped),
     * stopping before {@code maxBytes} of wire data. {@code scratch} holds the records while
     * the header is not known yet.
     */
    public static void encode(ExitTrace trace, long fromSeq, long maxRecords, int maxBytes, PacketBuffer out,
            PacketBuffer scratch) {
        Encoder enc = new Encoder(scratch.clear(), maxBytes, maxRecords);
        long next = trace.nextSeq();
        trace.read(fromSeq, maxRecords, enc);
        WireWriter w = new WireWriter(out);
        w.varint(enc.count == 0 ? Math.max(fromSeq, trace.firstSeq()) : enc.first).varint(enc.count)
                .varint(Math.max(next, trace.nextSeq())).varint(trace.firstSeq());
        out.append(scratch.array(), 0, scratch.length());
    }

    private static final class Encoder implements ExitRecordVisitor {
        private final WireWriter w;
        private final PacketBuffer buf;
        private final int limit;
        private final long maxRecords;
        long first = -1;
        int count;
        private long prevTime;
        private long prevPc;

        Encoder(PacketBuffer buf, int maxBytes, long maxRecords) {
            this.w = new WireWriter(buf);
            this.buf = buf;
            this.limit = Math.max(0, maxBytes - MAX_RECORD_WIRE_BYTES);
            this.maxRecords = maxRecords;
        }

        @Override
        public boolean visit(long seq, int vcpu, int reasonId, long time, long durationNs, long pc, long qualification,
                long info2, long context) {
            if (count > 0 && seq != first + count) {
                return false; // the ring overwrote what we were reading: end the batch at the gap
            }
            if (count == 0) {
                first = seq;
            }
            int flags = (qualification != 0 ? FLAG_QUAL : 0) | (info2 != 0 ? FLAG_INFO2 : 0)
                    | (context != 0 ? FLAG_CONTEXT : 0);
            w.varint(((long) reasonId << 11) | ((long) (vcpu & 0xFF) << 3) | flags);
            w.signed(time - prevTime);
            w.varint(Math.max(0, durationNs));
            w.signed(pc - prevPc);
            if (qualification != 0) {
                w.varint(qualification);
            }
            if (info2 != 0) {
                w.varint(info2);
            }
            if (context != 0) {
                w.varint(context);
            }
            prevTime = time;
            prevPc = pc;
            count++;
            return buf.length() < limit && count < maxRecords;
        }
    }

    /** Decodes a batch body, calling {@code visitor} per record; returns the header. */
    public static Header decode(byte[] data, int offset, int length, ExitRecordVisitor visitor) {
        WireReader r = new WireReader(data, offset, length);
        long first = r.varint();
        int count = r.varintInt();
        long next = r.varint();
        long oldest = r.varint();
        long time = 0;
        long pc = 0;
        for (int i = 0; i < count; i++) {
            long head = r.varint();
            time += r.signed();
            long duration = r.varint();
            pc += r.signed();
            long q = (head & FLAG_QUAL) != 0 ? r.varint() : 0;
            long i2 = (head & FLAG_INFO2) != 0 ? r.varint() : 0;
            long ctx = (head & FLAG_CONTEXT) != 0 ? r.varint() : 0;
            if (visitor != null && !visitor.visit(first + i, (int) ((head >>> 3) & 0xFF), (int) (head >>> 11), time,
                    duration, pc, q, i2, ctx)) {
                visitor = null; // keep decoding for the header's sake, stop delivering
            }
        }
        return new Header(first, count, next, oldest);
    }
}
