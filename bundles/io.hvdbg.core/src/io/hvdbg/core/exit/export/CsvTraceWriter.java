/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.core.exit.export;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;

import io.hvdbg.core.exit.ExitReason;
import io.hvdbg.core.exit.ExitReasons;
import io.hvdbg.core.exit.ExitRecordVisitor;
import io.hvdbg.core.exit.VmExit;

/**
 * Writes exits as CSV (RFC 4180: comma separated, CRLF-free, fields with commas or quotes
 * quoted), one row per exit, for spreadsheets and scripts. Times are integer nanoseconds;
 * vendor fields are hex. Streams: nothing is held per exit.
 */
public final class CsvTraceWriter implements ExitRecordVisitor, AutoCloseable {
    /** The header row. */
    public static final String HEADER = "seq,vcpu,time_ns,duration_ns,source,reason,code,category,rip,qualification,"
            + "info2,context,description";

    private final Writer out;
    private final StringBuilder sb = new StringBuilder(256);

    public CsvTraceWriter(Writer out) throws IOException {
        this.out = out;
        out.write(HEADER);
        out.write('\n');
    }

    @Override
    public boolean visit(long seq, int vcpu, int reasonId, long time, long durationNs, long pc, long qualification,
            long info2, long context) {
        ExitReason r = ExitReasons.byId(reasonId);
        VmExit e = new VmExit(seq, vcpu, time, durationNs, r, pc, qualification, info2, context);
        sb.setLength(0);
        sb.append(seq).append(',').append(vcpu).append(',').append(time).append(',').append(durationNs).append(',')
                .append(r.source().name()).append(',');
        field(r.name());
        sb.append(",0x").append(Long.toHexString(r.code())).append(',').append(r.category().name()).append(",0x")
                .append(Long.toHexString(pc)).append(",0x").append(Long.toHexString(qualification)).append(",0x")
                .append(Long.toHexString(info2)).append(",0x").append(Long.toHexString(context)).append(',');
        field(e.describe());
        sb.append('\n');
        try {
            out.append(sb);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return true;
    }

    @Override
    public void close() throws IOException {
        out.flush();
    }

    private void field(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0) {
            sb.append(s);
            return;
        }
        sb.append('"').append(s.replace("\"", "\"\"")).append('"');
    }
}
