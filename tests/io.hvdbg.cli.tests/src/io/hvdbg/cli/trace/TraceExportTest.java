/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.cli.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.hvdbg.cli.Machines;
import io.hvdbg.core.Architecture;
import io.hvdbg.core.StopEvent;
import io.hvdbg.core.StopReason;
import io.hvdbg.core.VirtualMachine;
import io.hvdbg.core.VmConfig;
import io.hvdbg.core.exit.ExitTrace;
import io.hvdbg.core.exit.TraceFile;
import io.hvdbg.core.exit.TraceFormatException;
import io.hvdbg.core.exit.VmExit;
import io.hvdbg.core.exit.export.ChromeTraceReader;
import io.hvdbg.core.exit.export.CsvTraceWriter;
import io.hvdbg.guests.GuestImages;

/** {@code hvdbg stats/export} over .hvtrace and host KVM text traces; JSON round trip of real guest runs. */
class TraceExportTest {
    @TempDir
    Path dir;

    record Run(int status, String out, String err) {
    }

    static Run hvdbg(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = io.hvdbg.cli.Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), new ByteArrayInputStream(new byte[0]));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Runs a bundled demo guest to its end and returns its exit trace. */
    static ExitTrace demoTrace(Architecture arch, String vendor) throws Exception {
        VmConfig config = VmConfig.defaults(arch).withKernel(GuestImages.extract(Machines.demoImage(arch)))
                .withTraceBytes(1 << 20);
        if (vendor != null) {
            config = config.withVendor(vendor);
        }
        VirtualMachine vm = Machines.factory(arch).create(config);
        vm.setStopWhenIdleForever(true);
        StopEvent end = vm.runUntilStop(20_000);
        while (end != null && end.reason() != StopReason.SHUTDOWN && end.reason() != StopReason.ERROR) {
            end = vm.runUntilStop(20_000);
        }
        vm.terminate();
        assertTrue(end != null && end.reason() == StopReason.SHUTDOWN, "demo guest ended: " + end);
        return vm.trace();
    }

    static final String VMX_TEXT = """
            # tracer: nop
                   CPU 0/KVM-4021    [001] d..1.  5123.000100: kvm_exit: vcpu 0 reason HLT rip 0xffffffff81b5e2a8 info1 0x0000000000000000 info2 0x0000000000000000 intr_info 0x00000000 error_code 0x00000000
                   CPU 0/KVM-4021    [001] d..1.  5123.001100: kvm_entry: vcpu 0, rip 0xffffffff81b5e2a9
            garbage
                   CPU 1/KVM-4022    [002] d..1.  5123.000200: kvm_exit: vcpu 1 reason IO_INSTRUCTION rip 0xffffffff815a2f31 info1 0x0000000003f80000 info2 0x0000000000000000 intr_info 0x00000000 error_code 0x00000000
                   CPU 1/KVM-4022    [002] d..1.  5123.000204: kvm_entry: vcpu 1, rip 0xffffffff815a2f32
                   CPU 1/KVM-4022    [002] d..1.  5123.000300: kvm_exit: vcpu 1 reason HLT rip 0xffffffff81b5e2a8 info1 0x0000000000000000 info2 0x0000000000000000 intr_info 0x00000000 error_code 0x00000000
                   CPU 1/KVM-4022    [002] d..1.  5123.000350: kvm_entry: vcpu 1, rip 0xffffffff81b5e2a9
            """;

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"x86_64, intel", "x86_64, amd", "riscv64, ''"})
    void guestTraceExportedToJsonReadsBackWithTheSameExits(String archName, String vendor) throws Exception {
        Architecture arch = Architecture.parse(archName);
        ExitTrace trace = demoTrace(arch, vendor == null || vendor.isEmpty() ? null : vendor);
        List<VmExit> recorded = trace.last((int) trace.size());
        assertTrue(recorded.size() >= 10, "the demo takes exits: " + recorded.size());
        assertEquals(trace.nextSeq(), recorded.size(), "nothing dropped from the ring");
        Path hv = dir.resolve("demo.hvtrace");
        TraceFile.write(trace, Map.of("arch", archName), hv);

        Path json = dir.resolve("demo.json");
        Run r = hvdbg("export", hv.toString(), "--format", "json", "--output", json.toString());
        assertEquals(0, r.status(), r.err());
        assertEquals("wrote " + recorded.size() + " exits to " + json + "\n", r.err());
        List<VmExit> back;
        try (Reader in = Files.newBufferedReader(json)) {
            back = ChromeTraceReader.read(json.toString(), in);
        }
        assertEquals(recorded, back);

        // One track per vCPU, named, and every slice on its vCPU's track.
        String text = Files.readString(json);
        long vcpus = recorded.stream().mapToInt(VmExit::vcpu).distinct().count();
        assertEquals(vcpus, count(text, "\"name\":\"thread_name\""));
        assertEquals(recorded.size(), count(text, "\"ph\":\"X\""));
    }

    @Test
    void csvHasAHeaderAndOneRowPerExit() throws Exception {
        ExitTrace trace = demoTrace(Architecture.X86_64, null);
        Path hv = dir.resolve("demo.hvtrace");
        TraceFile.write(trace, Map.of(), hv);
        Run r = hvdbg("export", hv.toString(), "--format", "csv");
        assertEquals(0, r.status(), r.err());
        assertEquals("", r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(CsvTraceWriter.HEADER, lines.get(0));
        assertEquals(trace.size() + 1, lines.size());
        VmExit first = trace.get(trace.firstSeq());
        String[] f = lines.get(1).split(",", 13);
        assertEquals(Long.toString(first.seq()), f[0]);
        assertEquals(Integer.toString(first.vcpu()), f[1]);
        assertEquals(Long.toString(first.time()), f[2]);
        assertEquals(first.reason().name(), f[5]);
        assertEquals("0x" + Long.toHexString(first.pc()), f[8]);
    }

    @Test
    void statsOfAnFtraceTextTraceReportsSkippedLinesOnStderr() throws IOException {
        Path t = dir.resolve("trace.txt");
        Files.writeString(t, VMX_TEXT);
        Run r = hvdbg("stats", t.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().matches("(?s).*EXIT_REASON_HLT\\s+2\\s+66\\.67%.*"), r.out());
        assertTrue(r.out().matches("(?s).*EXIT_REASON_IO_INSTRUCTION\\s+1\\s.*"), r.out());
        assertTrue(r.out().contains("Total Samples:3"), r.out());
        assertTrue(r.err().startsWith("trace.txt: ftrace, Intel VMX: 3 exits on 2 vCPUs from 8 lines, 1 malformed line skipped"),
                r.err());
        assertTrue(r.err().contains("skipped line 4: not a trace event line: garbage"), r.err());
    }

    @Test
    void textTraceExportsToJsonWithOneTrackPerVcpuAndSlicesBetweenExitAndEntry() throws IOException {
        Path t = dir.resolve("trace.log"); // the extension does not matter
        Files.writeString(t, VMX_TEXT);
        Run r = hvdbg("export", t.toString(), "--format", "json");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.err().contains("1 malformed line skipped"), r.err());
        assertEquals(2, count(r.out(), "\"name\":\"thread_name\""));
        List<VmExit> back = ChromeTraceReader.read("stdout", new StringReader(r.out()));
        assertEquals(3, back.size());
        VmExit io = back.stream().filter(e -> e.reason().name().equals("EXIT_REASON_IO_INSTRUCTION")).findFirst()
                .orElseThrow();
        assertEquals(1, io.vcpu());
        assertEquals(5123_000_200_000L, io.time());
        assertEquals(4_000, io.durationNs());
        assertTrue(r.out().contains("\"ts\":5123000200.000,\"dur\":4.000"), r.out());
        assertTrue(r.out().contains("\"description\":\"OUT port 0x3f8, 1 byte\""), r.out());
        assertTrue(r.out().contains("\"ts\":5123000100.000,\"dur\":1000.000"), "HLT slice on vCPU 0");
    }

    @Test
    void filesThatAreNoTraceAreOneLineInputErrors() throws IOException {
        Path text = dir.resolve("notes.txt");
        Files.writeString(text, "just some notes\nnothing about kvm\n");
        Run r = hvdbg("stats", text.toString());
        assertEquals(4, r.status());
        assertEquals("hvdbg: " + text + ": neither an hvdbg .hvtrace file nor a text trace with kvm_exit events"
                + " (ftrace, trace-cmd report, perf script)\n", r.err());

        Path headerOnly = dir.resolve("empty.txt");
        Files.writeString(headerOnly, "# tracer: nop\n#\nnot an event\n");
        r = hvdbg("export", headerOnly.toString(), "--format", "csv", "--output", dir.resolve("out.csv").toString());
        assertEquals(4, r.status());
        assertTrue(r.err().startsWith("hvdbg: " + headerOnly + ": no kvm_exit events in 3 lines (1 malformed)"), r.err());
        assertFalse(Files.exists(dir.resolve("out.csv")), "no output file for a bad input");

        r = hvdbg("export", dir.resolve("missing.hvtrace").toString(), "--format", "json");
        assertEquals(4, r.status());
        assertEquals("hvdbg: cannot read trace " + dir.resolve("missing.hvtrace") + ": no such file\n", r.err());
    }

    @Test
    void readerRejectsBrokenJsonWithAPosition() {
        TraceFormatException e = assertThrows(TraceFormatException.class,
                () -> ChromeTraceReader.read("x.json", new StringReader("{\"traceEvents\":[{\"ph\":\"X\",}]}")));
        assertTrue(e.getMessage().startsWith("x.json: expected a member name at character"), e.getMessage());
        e = assertThrows(TraceFormatException.class, () -> ChromeTraceReader.read("y.json", new StringReader("[1,2]")));
        assertEquals("y.json: not a Chrome trace (no traceEvents array)", e.getMessage());
        e = assertThrows(TraceFormatException.class,
                () -> ChromeTraceReader.read("z.json", new StringReader("[".repeat(100_000))));
        assertTrue(e.getMessage().startsWith("z.json: nested deeper than 256 levels"), e.getMessage());
    }

    private static long count(String text, String needle) {
        long n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
