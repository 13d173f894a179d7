/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.x86.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.hvdbg.core.exit.ExitAttribute;
import io.hvdbg.core.exit.ExitCategory;
import io.hvdbg.core.exit.ExitReasons;
import io.hvdbg.core.exit.ExitSource;
import io.hvdbg.core.exit.ExitStatistics;
import io.hvdbg.core.exit.VmExit;
import io.hvdbg.x86.exit.X86ExitKind;

/** Host KVM traces (ftrace, trace-cmd report, perf script; VMX and SVM) into the core's exit model. */
class KvmTraceImporterTest {

    /** What an import delivered. */
    record Result(KvmTraceReport report, List<VmExit> exits) {
        List<String> reasons(int vcpu) {
            return exits.stream().filter(e -> e.vcpu() == vcpu).sorted((a, b) -> Long.compare(a.time(), b.time()))
                    .map(e -> e.reason().name()).toList();
        }

        VmExit byReason(String name) {
            return exits.stream().filter(e -> e.reason().name().equals(name)).findFirst().orElseThrow(
                    () -> new AssertionError("no exit " + name + " in " + exits));
        }
    }

    static Result importStream(InputStream in) throws IOException {
        List<VmExit> out = new ArrayList<>();
        KvmTraceReport report = KvmTraceImporter.read(in, -1, (s, v, r, t, d, pc, q, i2, c) -> {
            out.add(new VmExit(s, v, t, d, ExitReasons.byId(r), pc, q, i2, c));
            return true;
        }, null);
        return new Result(report, out);
    }

    static Result importResource(String name) throws IOException {
        try (InputStream in = KvmTraceImporterTest.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new AssertionError("test resource " + name + " missing");
            }
            return importStream(in);
        }
    }

    static Result importText(String text) throws IOException {
        return importStream(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void vmxFtraceTraceFileGivesEveryExitWithItsDurationAndSkipsBadLinesByNumber() throws IOException {
        Result r = importResource("vmx-ftrace.txt");
        KvmTraceReport rep = r.report();
        assertEquals(KvmTraceFormat.FTRACE, rep.format());
        assertEquals(ExitSource.VMX, rep.vendor());
        assertEquals(43, rep.lines());
        assertEquals(11, rep.exits());
        assertEquals(11, r.exits().size());
        assertEquals(2, rep.vcpus());
        assertEquals(12, rep.headerLines());
        assertEquals(5, rep.otherEvents(), "kvm_cpuid, 2 x kvm_msr, kvm_page_fault, kvm_pio");
        assertEquals(2, rep.entriesWithoutExit(), "the first kvm_entry of each vCPU");
        assertEquals(1, rep.exitsWithoutEntry(), "APIC_WRITE at the end has no kvm_entry");
        assertEquals(3, rep.malformedLines());
        assertEquals(List.of(36L, 37L, 38L), rep.malformedSamples().stream().map(m -> m.lineNumber()).toList());
        assertEquals("kvm_exit without a reason", rep.malformedSamples().get(0).problem());
        assertEquals("not a trace event line", rep.malformedSamples().get(1).problem());
        assertEquals("no timestamp after the CPU field", rep.malformedSamples().get(2).problem());
        assertEquals("this line is not an event", rep.malformedSamples().get(1).text());
        assertFalse(rep.rawCounterClock());

        assertEquals(List.of("EXIT_REASON_EXTERNAL_INTERRUPT", "EXIT_REASON_MSR_WRITE", "EXIT_REASON_EPT_VIOLATION",
                "EXIT_REASON_HLT", "EXIT_REASON_IO_INSTRUCTION"), r.reasons(0));
        assertEquals(List.of("EXIT_REASON_CPUID", "EXIT_REASON_EPT_MISCONFIG", "EXIT_REASON_EXCEPTION_NMI",
                "EXIT_REASON_PREEMPTION_TIMER", "EXIT_REASON_MSR_READ", "EXIT_REASON_APIC_WRITE"), r.reasons(1));

        // The core's own registrations are reused, not duplicated.
        assertEquals(X86ExitKind.HLT.vmxReason(), r.byReason("EXIT_REASON_HLT").reason());
        assertEquals(X86ExitKind.EPT_VIOLATION.vmxReason(), r.byReason("EXIT_REASON_EPT_VIOLATION").reason());
        assertEquals(ExitCategory.MMIO, r.byReason("EXIT_REASON_EPT_MISCONFIG").category());

        VmExit ext = r.byReason("EXIT_REASON_EXTERNAL_INTERRUPT");
        assertEquals(5123_000_100_000L, ext.time());
        assertEquals(3_000, ext.durationNs());
        assertEquals(0xffffffff81b5e2abL, ext.pc());
        assertEquals(1_000_000, r.byReason("EXIT_REASON_HLT").durationNs());
        assertEquals(12_000, r.byReason("EXIT_REASON_EPT_MISCONFIG").durationNs());
        assertEquals(0, r.byReason("EXIT_REASON_APIC_WRITE").durationNs());

        VmExit ept = r.byReason("EXIT_REASON_EPT_VIOLATION");
        assertEquals(0x182, ept.qualification());
        assertEquals(0xf3e000, ept.attribute(ExitAttribute.GPA), "GPA from kvm_page_fault");
        assertEquals(10_000, ept.durationNs());
        assertEquals(0x6e0, r.byReason("EXIT_REASON_MSR_WRITE").attribute(ExitAttribute.MSR));
        assertEquals(0x1b, r.byReason("EXIT_REASON_MSR_READ").attribute(ExitAttribute.MSR));
        assertEquals(1, r.byReason("EXIT_REASON_CPUID").attribute(ExitAttribute.CPUID_LEAF));
        assertEquals(0x3f8, r.byReason("EXIT_REASON_IO_INSTRUCTION").attribute(ExitAttribute.PORT));
        assertEquals("exception vector 14 error 0x4", r.byReason("EXIT_REASON_EXCEPTION_NMI").describe());
    }

    @Test
    void svmTraceCmdReportUsesTheKernelsSvmNames() throws IOException {
        Result r = importResource("svm-trace-cmd.txt");
        KvmTraceReport rep = r.report();
        assertEquals(KvmTraceFormat.TRACE_CMD, rep.format());
        assertEquals(ExitSource.SVM, rep.vendor());
        assertEquals(27, rep.lines());
        assertEquals(9, rep.exits());
        assertEquals(0, rep.exitsWithoutEntry());
        assertEquals(2, rep.otherEvents());
        assertEquals(1, rep.lostEventLines());
        assertEquals(3, rep.headerLines(), "cpus=, CPU 5 is empty, LOST EVENTS");
        assertEquals(List.of(26L, 27L), rep.malformedSamples().stream().map(m -> m.lineNumber()).toList());
        assertEquals("kvm_exit: rip is not a hex number", rep.malformedSamples().get(0).problem());

        assertEquals(List.of("VMEXIT_NPF", "VMEXIT_IOIO", "VMEXIT_HLT", "VMEXIT_INTR"), r.reasons(0));
        assertEquals(List.of("VMEXIT_MSR", "VMEXIT_EXCP_PF", "VMEXIT_VINTR", "VMEXIT_VMMCALL", "VMEXIT_0x4ff"),
                r.reasons(1));
        assertEquals(X86ExitKind.IO.svmReason(), r.byReason("VMEXIT_IOIO").reason());
        assertEquals(X86ExitKind.svmExceptionReason(14), r.byReason("VMEXIT_EXCP_PF").reason());

        VmExit npf = r.byReason("VMEXIT_NPF");
        assertEquals(81234_567_890_000L, npf.time());
        assertEquals(7_000, npf.durationNs());
        assertEquals(0x1_0000_0006L, npf.qualification());
        assertEquals(0xfee000b0L, npf.attribute(ExitAttribute.GPA));
        VmExit io = r.byReason("VMEXIT_IOIO");
        assertEquals(0x3f8, io.attribute(ExitAttribute.PORT));
        assertEquals(0xffffffff815a2f32L, io.info2(), "SVM EXITINFO2 is the next RIP");
        assertEquals(8_000, io.durationNs());
        assertEquals(2_000_000, r.byReason("VMEXIT_HLT").durationNs());
        assertEquals(1, r.byReason("VMEXIT_MSR").qualification(), "EXITINFO1 1 = WRMSR");
        assertEquals(0x6e0, r.byReason("VMEXIT_MSR").attribute(ExitAttribute.MSR));
        assertEquals("exception vector 14 error 0x6", r.byReason("VMEXIT_EXCP_PF").describe());
        assertEquals(0x4ff, r.byReason("VMEXIT_0x4ff").reason().code());
        assertEquals(ExitSource.SVM, r.byReason("VMEXIT_0x4ff").reason().source());

        // perf kvm stat style table over the import
        ExitStatistics stats = new ExitStatistics();
        r.exits().forEach(e -> stats.count(e.vcpu(), e.reason().id(), e.durationNs()));
        assertEquals(9, stats.total(-1));
        assertEquals(4, stats.total(0));
        ExitStatistics.Row hlt = stats.report(-1).stream().filter(x -> x.reason().name().equals("VMEXIT_HLT"))
                .findFirst().orElseThrow();
        assertEquals(2_000_000, hlt.maxNs());
    }

    @Test
    void perfScriptWithNanosecondTimestampsAndOtherSubsystems() throws IOException {
        Result r = importResource("vmx-perf-script.txt");
        KvmTraceReport rep = r.report();
        assertEquals(KvmTraceFormat.PERF_SCRIPT, rep.format());
        assertEquals(ExitSource.VMX, rep.vendor());
        assertEquals(5, rep.exits());
        assertEquals(0, rep.malformedLines());
        assertEquals(4, rep.otherEvents(), "kvm_page_fault, kvm_userspace_exit, sched_switch, kvm_cpuid");
        assertEquals(3_625, r.byReason("EXIT_REASON_EXTERNAL_INTERRUPT").durationNs());
        assertEquals(5123_000_100_250L, r.byReason("EXIT_REASON_EXTERNAL_INTERRUPT").time());
        VmExit ept = r.byReason("EXIT_REASON_EPT_VIOLATION");
        assertEquals(1, ept.vcpu());
        assertEquals(8_125, ept.durationNs());
        assertEquals(0xc0001000L, ept.info2());
        assertEquals(12_300, r.byReason("EXIT_REASON_IO_INSTRUCTION").durationNs());
        assertEquals(700, r.byReason("EXIT_REASON_INVALID_STATE").durationNs(), "FAILED_VMENTRY flag tolerated");
        assertEquals(7, r.byReason("EXIT_REASON_CPUID").attribute(ExitAttribute.CPUID_LEAF));
    }

    @Test
    void perfScriptOfAPerProcessRecordingHasNoCpuColumn() throws IOException {
        Result r = importText("""
                 CPU 0/KVM  4021  5123.000100250:       kvm:kvm_exit: vcpu 0 reason HLT rip 0xffffffff81b5e2a8 info1 0x0 info2 0x0 intr_info 0x0 error_code 0x0
                 CPU 0/KVM  4021  5123.000900250:      kvm:kvm_entry: vcpu 0, rip 0xffffffff81b5e2a9
                 qemu-system-x86 4000/4021 5123.001000000: kvm:kvm_exit: vcpu 0 reason CPUID rip 0x1000 info1 0x0 info2 0x0 intr_info 0x0 error_code 0x0
                 qemu-system-x86 4000/4021 5123.001000500: kvm:kvm_entry: vcpu 0, rip 0x1002
                 CPU 0/KVM  4021  nonsense: kvm:kvm_exit: vcpu 0 reason HLT rip 0x1
                """);
        assertEquals(KvmTraceFormat.PERF_SCRIPT, r.report().format());
        assertEquals(2, r.report().exits());
        assertEquals(0, r.report().exitsWithoutEntry(), "pid/tid and tid name the same thread");
        assertEquals(800_000, r.byReason("EXIT_REASON_HLT").durationNs());
        assertEquals(500, r.byReason("EXIT_REASON_CPUID").durationNs());
        assertEquals(List.of(5L), r.report().malformedSamples().stream().map(m -> m.lineNumber()).toList());
        assertFalse(r.report().rawCounterClock());
    }

    @Test
    void loadFillsARingThatGivesTheSameStatisticsAsStreaming() throws Exception {
        Path file = Files.createTempFile("kvm-trace", ".txt");
        try (InputStream in = getClass().getResourceAsStream("vmx-ftrace.txt")) {
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            Files.writeString(file, "          <idle>-0       [000] d.h1.  5123.000101: irq_enter <-sysvec_apic_timer\n"
                    + "          <idle>-0       [000] d.h1.  5123.000102:\n", StandardOpenOption.APPEND);
            List<long[]> progress = new ArrayList<>();
            KvmTraceImporter.Loaded loaded = KvmTraceImporter.load(file, 1 << 16, (read, total) -> {
                progress.add(new long[] {read, total});
                return true;
            });
            assertEquals(11, loaded.trace().size());
            assertEquals(11, loaded.report().exits());
            assertEquals(6, loaded.report().otherEvents(), "the function tracer line is another event");
            assertEquals(4, loaded.report().malformedLines(), "an event line without event name is not");
            assertEquals(Files.size(file), progress.get(progress.size() - 1)[0]);
            assertEquals(Files.size(file), progress.get(progress.size() - 1)[1]);
            ExitStatistics fromRing = ExitStatistics.of(loaded.trace());
            Result streamed = importResource("vmx-ftrace.txt");
            ExitStatistics fromStream = new ExitStatistics();
            streamed.exits().forEach(e -> fromStream.count(e.vcpu(), e.reason().id(), e.durationNs()));
            assertEquals(fromStream.format(-1), fromRing.format(-1));
            assertEquals(streamed.exits(), loaded.trace().last(11));
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void olderKvmExitFormatsWithoutVcpuField() throws IOException {
        // Linux 4.x-5.12 (VMX): "reason %s rip 0x%lx info %llx %llx", kvm_entry "vcpu %u"
        Result vmx = importText("""
                 qemu-system-x86-1733  [000] d...   412.100000: kvm_entry: vcpu 2
                 qemu-system-x86-1733  [000] d...   412.100010: kvm_exit: reason MSR_WRITE rip 0xffffffff8105f5f8 info 0 0
                 qemu-system-x86-1733  [000] ....   412.100011: kvm_msr: msr_write 838 = 0x3d0900
                 qemu-system-x86-1733  [000] d...   412.100014: kvm_entry: vcpu 2
                 qemu-system-x86-1733  [000] d...   412.100020: kvm_exit: reason EPT_VIOLATION rip 0xffffffff81340f2a info 181 0
                 qemu-system-x86-1733  [000] d...   412.100031: kvm_entry: vcpu 2
                """);
        assertEquals(2, vmx.report().exits());
        assertEquals(0, vmx.report().malformedLines());
        assertEquals(2, vmx.exits().get(0).vcpu(), "vCPU learned from kvm_entry");
        assertEquals(4_000, vmx.byReason("EXIT_REASON_MSR_WRITE").durationNs());
        assertEquals(0x838, vmx.byReason("EXIT_REASON_MSR_WRITE").context());
        assertEquals(0x181, vmx.byReason("EXIT_REASON_EPT_VIOLATION").qualification());

        // Linux 5.10 (SVM) with the tgid column and CRLF line ends
        Result svm = importText("""
                # tracer: nop\r
                      CPU 3/KVM-9001  ( 8990) [005] d... 77.000100: kvm_exit: reason io rip 0xffffffff815a2f31 info 3f80210 ffffffff815a2f33\r
                      CPU 3/KVM-9001  ( 8990) [005] d... 77.000106: kvm_entry: vcpu 3\r
                      CPU 3/KVM-9001  ( 8990) [005] d... 77.000200: kvm_exit: reason write_cr3 rip 0xffffffff8107a0b2 info 0 0\r
                      CPU 3/KVM-9001  ( 8990) [005] d... 77.000203: kvm_entry: vcpu 3\r
                """);
        assertEquals(KvmTraceFormat.FTRACE, svm.report().format());
        assertEquals(ExitSource.SVM, svm.report().vendor());
        assertEquals(2, svm.report().exits());
        assertEquals(0, svm.report().malformedLines());
        VmExit io = svm.byReason("VMEXIT_IOIO");
        assertEquals(3, io.vcpu());
        assertEquals(0x3f80210, io.qualification());
        assertEquals(0xffffffff815a2f33L, io.info2());
        assertEquals(6_000, io.durationNs());
        assertEquals(X86ExitKind.svmCrReason(3, true), svm.byReason("VMEXIT_CR3_WRITE").reason());
    }

    @Test
    void exitWithoutVcpuIdsAnywhereTakesItFromTheQemuThreadName() throws IOException {
        Result r = importText("""
                CPU 5/KVM-700 [000] 1.000000: kvm_exit: reason HLT rip 0x1000 info 0 0
                CPU 5/KVM-700 [000] 1.000500: kvm_entry: vcpu
                """);
        assertEquals(1, r.exits().size());
        assertEquals(5, r.exits().get(0).vcpu());
        assertEquals(500_000, r.exits().get(0).durationNs());
    }

    @Test
    void rawCounterClockAndUnknownReasonNamesAreKept() throws IOException {
        Result r = importText("""
                CPU 0/KVM-10 [001] 1000: kvm_exit: vcpu 0 reason MSR_READ_IMM rip 0x1 info1 0x0 info2 0x0 intr_info 0x0 error_code 0x0
                CPU 0/KVM-10 [001] 1250: kvm_entry: vcpu 0, rip 0x4
                """);
        assertTrue(r.report().rawCounterClock());
        VmExit e = r.exits().get(0);
        assertEquals(250, e.durationNs());
        assertEquals("MSR_READ_IMM", e.reason().name());
        assertEquals(ExitSource.UNKNOWN, e.reason().source());
    }

    @Test
    void garbageBinaryAndOverlongLinesAreCountedNeverFatal() throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append("CPU 0/KVM-10 [001] 1.000000: kvm_exit: vcpu 0 reason HLT rip 0x1 info1 0x0 info2 0x0\n");
        sb.append("x".repeat(KvmTraceImporter.MAX_LINE_BYTES * 3)).append('\n');
        sb.append("\u0001\u0002\u00ff binary junk\n");
        sb.append("CPU 0/KVM-10 [001] 1.000010: kvm_entry: vcpu 0, rip 0x4\n");
        sb.append("CPU 0/KVM-10 [001] 1.000020: kvm_exit: vcpu 0 reason HLT"); // truncated last line
        Result r = importText(sb.toString());
        assertEquals(5, r.report().lines());
        assertEquals(1, r.report().exits());
        assertEquals(10_000, r.exits().get(0).durationNs());
        assertEquals(3, r.report().malformedLines());
        assertEquals(List.of(2L, 3L, 5L), r.report().malformedSamples().stream().map(m -> m.lineNumber()).toList());
        assertTrue(r.report().malformedSamples().get(0).problem().startsWith("line longer than"), r.report().malformedSamples().toString());
        assertTrue(r.report().summary().contains("3 malformed lines skipped"), r.report().summary());
    }

    @Test
    void streamsLargeInputWithProgressAndCanBeStopped() throws IOException {
        int pairs = 40_000;
        InputStream gen = new SyntheticTrace(pairs, 4);
        List<long[]> calls = new ArrayList<>();
        long[] count = new long[1];
        KvmTraceReport rep = KvmTraceImporter.read(gen, -1, (s, v, r, t, d, pc, q, i2, c) -> {
            count[0]++;
            return true;
        }, (read, total) -> {
            calls.add(new long[] {read, total});
            return true;
        });
        assertEquals(pairs, rep.exits());
        assertEquals(pairs, count[0]);
        assertEquals(4, rep.vcpus());
        assertEquals(0, rep.malformedLines());
        assertTrue(calls.size() >= 5, "progress about every MiB: " + calls.size());
        for (int i = 1; i < calls.size(); i++) {
            assertTrue(calls.get(i)[0] >= calls.get(i - 1)[0]);
        }
        KvmTraceReport stopped = KvmTraceImporter.read(new SyntheticTrace(pairs, 4), -1,
                (s, v, r, t, d, pc, q, i2, c) -> true, (read, total) -> read < 2_000_000);
        assertTrue(stopped.stoppedEarly());
        assertTrue(stopped.exits() > 0 && stopped.exits() < pairs, "stopped after about 2 MB: " + stopped.exits());
    }

    @Test
    void contentSniffing() throws IOException {
        byte[] head;
        try (InputStream in = getClass().getResourceAsStream("svm-trace-cmd.txt")) {
            head = in.readNBytes(4096);
        }
        assertTrue(KvmTraceImporter.looksLikeKvmTrace(head, head.length));
        byte[] hv = "HVDBGTRC\u0001\u0000\u0000".getBytes(StandardCharsets.ISO_8859_1);
        assertFalse(KvmTraceImporter.looksLikeKvmTrace(hv, hv.length));
        byte[] text = "hello world\n".getBytes(StandardCharsets.US_ASCII);
        assertFalse(KvmTraceImporter.looksLikeKvmTrace(text, text.length));
    }

    /**
     * A generated VMX trace-cmd report, never held in memory: {@code pairs} kvm_exit/kvm_entry
     * pairs round-robin over {@code vcpus} threads, with a realistic reason mix.
     */
    static final class SyntheticTrace extends InputStream {
        private static final String[] REASONS = {"EXTERNAL_INTERRUPT", "MSR_WRITE", "EPT_MISCONFIG", "HLT",
            "IO_INSTRUCTION", "EPT_VIOLATION", "PREEMPTION_TIMER", "CPUID"};
        private final int pairs;
        private final int vcpus;
        private int next;
        private byte[] chunk = new byte[0];
        private int pos;

        SyntheticTrace(int pairs, int vcpus) {
            this.pairs = pairs;
            this.vcpus = vcpus;
        }

        private boolean refill() {
            if (next >= pairs) {
                return false;
            }
            int v = next % vcpus;
            long us = 1_000_000L + next * 3L;
            String exit = String.format("       CPU %d/KVM-%d  [%03d] %d.%06d: kvm_exit:             vcpu %d reason %s"
                    + " rip 0xffffffff81%06x info1 0x0000000000000000 info2 0x0000000000000000 intr_info 0x00000000"
                    + " error_code 0x00000000%n", v, 4000 + v, v, us / 1_000_000, us % 1_000_000, v,
                    REASONS[next % REASONS.length], next & 0xFFFFFF);
            long us2 = us + 1;
            String entry = String.format("       CPU %d/KVM-%d  [%03d] %d.%06d: kvm_entry:            vcpu %d, rip"
                    + " 0xffffffff81%06x%n", v, 4000 + v, v, us2 / 1_000_000, us2 % 1_000_000, v, next & 0xFFFFFF);
            chunk = (exit + entry).getBytes(StandardCharsets.US_ASCII);
            pos = 0;
            next++;
            return true;
        }

        @Override
        public int read() {
            if (pos >= chunk.length && !refill()) {
                return -1;
            }
            return chunk[pos++] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos >= chunk.length && !refill()) {
                return -1;
            }
            int n = Math.min(len, chunk.length - pos);
            System.arraycopy(chunk, pos, b, off, n);
            pos += n;
            return n;
        }
    }
}
