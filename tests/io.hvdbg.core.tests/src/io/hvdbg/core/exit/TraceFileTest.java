/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.core.exit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TraceFileTest {
    static final ExitReason A = ExitReasons.register(ExitSource.VMX, 0x7FF1, "TEST_FILE_A", ExitCategory.CPUID);

    @Test
    void writesAndLoadsEveryRecordWithMetadata(@TempDir Path dir) throws Exception {
        ExitTrace t = new ExitTrace(1 << 20);
        for (int i = 0; i < 1000; i++) {
            t.record(i % 4, A.id(), i * 100L, i, 0x1000 + i, i == 0 ? -1 : i, 7, i * 3L);
        }
        Path f = dir.resolve("run.hvtrace");
        assertEquals(1000, TraceFile.write(t, Map.of("arch", "x86_64"), f));
        ExitTrace back = TraceFile.load(f);
        assertEquals(t.last(1000), back.last(1000));
        TraceFile.Header h = TraceFile.read(f, (s, v, r, tt, d, pc, q, i2, c) -> true);
        assertEquals("x86_64", h.metadata().get("arch"));
        assertEquals(A, h.reasons().get(0));
    }

    @Test
    void rejectsForeignAndTruncatedFilesByName() throws Exception {
        TraceFormatException bad = assertThrows(TraceFormatException.class,
                () -> TraceFile.read("x.bin", new ByteArrayInputStream("hello world".getBytes()), (s, v, r, t, d, pc, q, i2, c) -> true));
        assertTrue(bad.getMessage().startsWith("x.bin: not an hvdbg trace file"), bad.getMessage());

        ExitTrace t = new ExitTrace(1 << 16);
        t.record(0, A.id(), 1, 1, 1, 1, 1, 1);
        t.record(0, A.id(), 2, 1, 1, 1, 1, 1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TraceFile.write(t, Map.of(), out);
        byte[] whole = out.toByteArray();
        byte[] cut = Arrays.copyOf(whole, whole.length - 2);
        TraceFormatException trunc = assertThrows(TraceFormatException.class,
                () -> TraceFile.read("cut.hvtrace", new ByteArrayInputStream(cut), (s, v, r, tt, d, pc, q, i2, c) -> true));
        assertEquals("cut.hvtrace: truncated after 1 records", trunc.getMessage());
    }

    @Test
    void emptyTraceRoundTrips(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("empty.hvtrace");
        TraceFile.write(new ExitTrace(1 << 16), Map.of(), f);
        assertTrue(Files.size(f) > 8);
        assertEquals(0, TraceFile.load(f).size());
    }
}
