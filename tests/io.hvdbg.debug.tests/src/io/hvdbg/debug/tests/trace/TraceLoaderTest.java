/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.debug.tests.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.hvdbg.core.exit.ExitTrace;
import io.hvdbg.core.exit.TraceFile;
import io.hvdbg.core.exit.TraceFormatException;
import io.hvdbg.core.exit.VmExit;
import io.hvdbg.debug.ui.trace.LoadedTrace;
import io.hvdbg.debug.ui.trace.TraceLoader;
import io.hvdbg.x86.exit.X86ExitKind;

/** How the IDE reads trace files (headless): kinds, counts, skipped lines, progress and cancel. */
class TraceLoaderTest {
    @TempDir
    Path dir;

    /** Records what a Job's monitor is told; cancels once {@code cancelAtTick} ticks were reported. */
    static final class RecordingMonitor extends NullProgressMonitor {
        final List<String> subTasks = new ArrayList<>();
        int totalWork;
        int worked;
        final int cancelAtTick;

        RecordingMonitor(int cancelAtTick) {
            this.cancelAtTick = cancelAtTick;
        }

        @Override
        public void beginTask(String name, int total) {
            totalWork = total;
        }

        @Override
        public void worked(int work) {
            worked += work;
        }

        @Override
        public void subTask(String name) {
            subTasks.add(name);
        }

        @Override
        public boolean isCanceled() {
            return cancelAtTick > 0 && worked >= cancelAtTick;
        }
    }

    static Path sample(String name) {
        for (Path p = Path.of(System.getProperty("user.dir")).toAbsolutePath(); p != null; p = p.getParent()) {
            Path f = p.resolve("tests/io.hvdbg.x86.tests/resources/io/hvdbg/x86/trace").resolve(name);
            if (Files.isRegularFile(f)) {
                return f;
            }
        }
        throw new AssertionError("sample " + name + " not found above " + System.getProperty("user.dir"));
    }

    @Test
    void vmxFtraceSampleGivesEveryExitStatisticsAndTheSkippedLines() throws Exception {
        RecordingMonitor monitor = new RecordingMonitor(0);
        LoadedTrace t = TraceLoader.load(sample("vmx-ftrace.txt"), monitor);
        assertEquals(TraceLoader.Kind.KVM_TEXT, t.kind());
        assertEquals(11, t.exits());
        assertEquals(2, t.vcpus());
        assertEquals(11, t.statistics().total(-1));
        assertEquals(6, t.statistics().total(1));
        assertEquals(11, t.timeline().count());
        assertEquals(11, t.trace().size());
        assertEquals(Map.of("source", "ftrace", "vendor", "Intel VMX"), t.metadata());
        assertTrue(t.summary().startsWith("ftrace, Intel VMX: 11 exits on 2 vCPUs from 43 lines"), t.summary());
        assertTrue(t.summary().endsWith("; skipped lines 36, 37, 38"), t.summary());
        assertTrue(t.malformedDetails().startsWith("line 36: kvm_exit without a reason: "), t.malformedDetails());
        assertEquals(3, t.malformedDetails().lines().count());
        assertEquals(1000, monitor.totalWork);
        assertEquals(1000, monitor.worked, "the end of the file is the whole task");
    }

    @Test
    void aLargeTraceReportsMibProgressAndCancels() throws Exception {
        Path big = dir.resolve("big.kvmtrace");
        long exits = 0;
        try (BufferedWriter w = Files.newBufferedWriter(big, StandardCharsets.US_ASCII)) {
            w.write("# tracer: nop\n");
            long us = 5_123_000_000L;
            while (exits < 16_000) {
                int vcpu = (int) (exits & 3);
                w.write(String.format("       CPU %d/KVM-40%02d    [00%d] d..1.  %d.%06d: kvm_exit: vcpu %d reason HLT"
                        + " rip 0xffffffff81b5e2a8 info1 0x0000000000000000 info2 0x0000000000000000 intr_info"
                        + " 0x00000000 error_code 0x00000000\n", vcpu, vcpu, vcpu, us / 1_000_000, us % 1_000_000, vcpu));
                w.write(String.format("       CPU %d/KVM-40%02d    [00%d] d..1.  %d.%06d: kvm_entry: vcpu %d, rip"
                        + " 0xffffffff81b5e2a9\n", vcpu, vcpu, vcpu, (us + 2) / 1_000_000, (us + 2) % 1_000_000, vcpu));
                us += 5;
                exits++;
            }
        }
        long size = Files.size(big);
        assertTrue(size > 3 << 20, "a few MiB: " + size);

        RecordingMonitor all = new RecordingMonitor(0);
        LoadedTrace t = TraceLoader.load(big, all);
        assertEquals(exits, t.exits());
        assertEquals(4, t.vcpus());
        assertEquals(exits, t.timeline().count());
        assertEquals(1000, all.worked);
        assertTrue(all.subTasks.size() >= 3, all.subTasks.toString());
        assertTrue(all.subTasks.get(0).startsWith("1."), all.subTasks.toString());
        assertTrue(all.subTasks.get(all.subTasks.size() - 1).matches("(\\d+\\.\\d) of \\1 MiB"), all.subTasks.toString());

        RecordingMonitor canceling = new RecordingMonitor(1);
        assertThrows(OperationCanceledException.class, () -> TraceLoader.load(big, canceling));
        assertTrue(canceling.worked < 1000, "stopped after the first MiB: " + canceling.worked);
    }

    @Test
    void anHvtraceFileRecordedByTheCoreOpensWithTheSameExits() throws Exception {
        ExitTrace ring = new ExitTrace(1 << 16);
        int hlt = X86ExitKind.HLT.vmxReason().id();
        int cpuid = X86ExitKind.CPUID.vmxReason().id();
        for (int i = 0; i < 100; i++) {
            ring.record(i % 2, i % 3 == 0 ? hlt : cpuid, 1_000L * i, 250 + i, 0x1000 + i, i, 0, 0);
        }
        Path file = dir.resolve("run" + TraceFile.EXTENSION);
        TraceFile.write(ring, Map.of("arch", "x86_64"), file);
        LoadedTrace t = TraceLoader.load(file, new NullProgressMonitor());
        assertEquals(TraceLoader.Kind.HVTRACE, t.kind());
        assertEquals(100, t.exits());
        assertEquals(2, t.vcpus());
        assertEquals("hvdbg trace (x86_64): 100 exits", t.summary());
        for (int i = 0; i < 100; i++) {
            VmExit a = ring.get(i);
            VmExit b = t.trace().get(i);
            assertEquals(a, b);
        }
        assertEquals(34, t.statistics().count(-1, X86ExitKind.HLT.vmxReason()));
    }

    @Test
    void otherFilesAreRefusedWithOneMessageNamingThem() throws Exception {
        Path bin = dir.resolve("image.bin");
        Files.write(bin, new byte[] {0x7f, 'E', 'L', 'F', 0, 0, 1, 2});
        TraceFormatException e = assertThrows(TraceFormatException.class,
                () -> TraceLoader.load(bin, new NullProgressMonitor()));
        assertEquals("image.bin is not an exit trace: neither a text trace with kvm_exit events (ftrace, trace-cmd"
                + " report, perf script) nor an hvdbg .hvtrace file", e.getMessage());

        Path truncated = dir.resolve("cut.hvtrace");
        Files.write(truncated, "HVDBGTRC".getBytes(StandardCharsets.US_ASCII));
        e = assertThrows(TraceFormatException.class, () -> TraceLoader.load(truncated, new NullProgressMonitor()));
        assertTrue(e.getMessage().startsWith("cut.hvtrace: "), e.getMessage());

        e = assertThrows(TraceFormatException.class, () -> TraceLoader.load(dir, new NullProgressMonitor()));
        assertTrue(e.getMessage().endsWith(": not a readable file"), e.getMessage());
    }
}
