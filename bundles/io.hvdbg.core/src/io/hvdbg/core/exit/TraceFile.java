/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.core.exit;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code .hvtrace} file format ({@code hvdbg run --trace FILE}): a self-describing,
 * streamable dump of an exit trace. Layout (all integers unsigned LEB128 varints unless noted):
 * <pre>
 *   magic "HVDBGTRC" (8 bytes), version (1)
 *   metadata: count, then count x (key string, value string)
 *   reasons:  count, then count x (file id, source name string, code, name string, category string)
 *   records until end of file, each:
 *     vcpu, file reason id, time (zig-zag delta from the previous record),
 *     duration ns, pc (zig-zag delta), qualification, info2, context
 *   strings are a varint byte length then UTF-8 bytes
 * </pre>
 * Reason ids are file-local, so a file opens in any process; its reasons are registered in
 * {@link ExitReasons} on reading (an already registered source+code keeps its registration).
 */
public final class TraceFile {
    public static final String EXTENSION = ".hvtrace";
    private static final byte[] MAGIC = "HVDBGTRC".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 1;

    private TraceFile() {
    }

    /** Writes every exit held in {@code trace} with the given metadata (arch, vendor, kernel …). */
    public static long write(ExitTrace trace, Map<String, String> metadata, Path file) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            return write(trace, metadata, out);
        }
    }

    /** Writes to a stream; returns the number of records written. */
    public static long write(ExitTrace trace, Map<String, String> metadata, OutputStream out) throws IOException {
        out.write(MAGIC);
        writeVarint(out, VERSION);
        writeVarint(out, metadata.size());
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            writeString(out, e.getKey());
            writeString(out, e.getValue());
        }
        // Only the reasons the records use, in first-use order.
        Map<Integer, Integer> fileIds = new LinkedHashMap<>();
        trace.read(0, Long.MAX_VALUE, (s, v, r, t, d, pc, q, i2, c) -> {
            fileIds.putIfAbsent(r, fileIds.size());
            return true;
        });
        writeVarint(out, fileIds.size());
        for (Map.Entry<Integer, Integer> e : fileIds.entrySet()) {
            ExitReason r = ExitReasons.byId(e.getKey());
            writeVarint(out, e.getValue());
            writeString(out, r.source().name());
            writeVarint(out, r.code());
            writeString(out, r.name());
            writeString(out, r.category().name());
        }
        long[] prev = new long[2];
        long[] count = new long[1];
        IOException[] failure = new IOException[1];
        trace.read(0, Long.MAX_VALUE, (s, v, r, t, d, pc, q, i2, c) -> {
            try {
                Integer fid = fileIds.get(r);
                if (fid == null) {
                    return true; // recorded after we listed the reasons; the next write gets it
                }
                writeVarint(out, v);
                writeVarint(out, fid);
                writeVarint(out, ExitTrace.zigzag(t - prev[0]));
                writeVarint(out, d);
                writeVarint(out, ExitTrace.zigzag(pc - prev[1]));
                writeVarint(out, q);
                writeVarint(out, i2);
                writeVarint(out, c);
                prev[0] = t;
                prev[1] = pc;
                count[0]++;
                return true;
            } catch (IOException e) {
                failure[0] = e;
                return false;
            }
        });
        if (failure[0] != null) {
            throw failure[0];
        }
        return count[0];
    }

    /** Header of a trace file. */
    public record Header(Map<String, String> metadata, List<ExitReason> reasons) {
    }

    /**
     * Streams the records of a file to {@code visitor} (sequence numbers from 0, in file
     * order) without holding them; returns the header.
     *
     * @throws TraceFormatException naming the file and what is wrong
     */
    public static Header read(Path file, ExitRecordVisitor visitor) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            return read(file.toString(), in, visitor);
        }
    }

    public static Header read(String name, InputStream in, ExitRecordVisitor visitor) throws IOException {
        byte[] magic = in.readNBytes(MAGIC.length);
        if (!java.util.Arrays.equals(magic, MAGIC)) {
            throw new TraceFormatException(name + ": not an hvdbg trace file (bad magic)");
        }
        long seq = 0;
        try {
            long version = readVarint(in);
            if (version != VERSION) {
                throw new TraceFormatException(name + ": trace format version " + version + " is not supported (expected "
                        + VERSION + ")");
            }
            Map<String, String> meta = new LinkedHashMap<>();
            long n = readCount(name, in, "metadata");
            for (long i = 0; i < n; i++) {
                meta.put(readString(name, in), readString(name, in));
            }
            long nr = readCount(name, in, "reason");
            List<ExitReason> reasons = new ArrayList<>();
            int[] ids = new int[(int) nr];
            for (int i = 0; i < nr; i++) {
                long fid = readVarint(in);
                String sourceName = readString(name, in);
                long code = readVarint(in);
                String rname = readString(name, in);
                String cname = readString(name, in);
                if (fid != i) {
                    throw new TraceFormatException(name + ": reason table entry " + i + " has id " + fid);
                }
                ExitSource source;
                ExitCategory category;
                try {
                    source = ExitSource.valueOf(sourceName);
                } catch (IllegalArgumentException e) {
                    throw new TraceFormatException(name + ": unknown exit source '" + sourceName + "'");
                }
                category = ExitCategory.parse(cname);
                if (category == null) {
                    throw new TraceFormatException(name + ": unknown exit category '" + cname + "'");
                }
                ExitReason r = ExitReasons.find(source, code);
                if (r == null) {
                    r = ExitReasons.register(source, code, rname, category);
                }
                reasons.add(r);
                ids[i] = r.id();
            }
            long time = 0;
            long pc = 0;
            while (true) {
                int first = in.read();
                if (first < 0) {
                    break;
                }
                long vcpu = readVarint(in, first);
                long fid = readVarint(in);
                if (fid >= ids.length || vcpu > 255) {
                    throw new TraceFormatException(name + ": record " + seq + " is corrupt (reason " + fid + ", vCPU "
                            + vcpu + ")");
                }
                time += ExitTrace.unzigzag(readVarint(in));
                long dur = readVarint(in);
                pc += ExitTrace.unzigzag(readVarint(in));
                long q = readVarint(in);
                long i2 = readVarint(in);
                long c = readVarint(in);
                if (!visitor.visit(seq++, (int) vcpu, ids[(int) fid], time, dur, pc, q, i2, c)) {
                    break;
                }
            }
            return new Header(meta, reasons);
        } catch (EOFException e) {
            throw new TraceFormatException(name + ": truncated after " + seq + " records");
        }
    }

    /** Reads a whole file into a new trace ring large enough to hold it. */
    public static ExitTrace load(Path file) throws IOException {
        long size = Files.size(file);
        ExitTrace trace = new ExitTrace(Math.min(ExitTrace.MAX_CAPACITY, Math.max(ExitTrace.MIN_CAPACITY, size * 2)));
        read(file, (s, v, r, t, d, pc, q, i2, c) -> {
            trace.record(v, r, t, d, pc, q, i2, c);
            return true;
        });
        return trace;
    }

    private static long readCount(String name, InputStream in, String what) throws IOException {
        long n = readVarint(in);
        if (n > 1_000_000) {
            throw new TraceFormatException(name + ": implausible " + what + " count " + n);
        }
        return n;
    }

    private static void writeVarint(OutputStream out, long v) throws IOException {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    private static long readVarint(InputStream in) throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException();
        }
        return readVarint(in, b);
    }

    private static long readVarint(InputStream in, int first) throws IOException {
        long value = first & 0x7F;
        int shift = 7;
        int b = first;
        while ((b & 0x80) != 0) {
            if (shift > 63) {
                throw new IOException("varint too long");
            }
            b = in.read();
            if (b < 0) {
                throw new EOFException();
            }
            value |= (long) (b & 0x7F) << shift;
            shift += 7;
        }
        return value;
    }

    private static void writeString(OutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        writeVarint(out, b.length);
        out.write(b);
    }

    private static String readString(String name, InputStream in) throws IOException {
        long len = readVarint(in);
        if (len > 4096) {
            throw new TraceFormatException(name + ": implausible string length " + len);
        }
        byte[] b = in.readNBytes((int) len);
        if (b.length != len) {
            throw new EOFException();
        }
        return new String(b, StandardCharsets.UTF_8);
    }
}
