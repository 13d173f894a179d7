/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.hvdbg.core.Architecture;
import io.hvdbg.core.exit.ExitTrace;
import io.hvdbg.core.exit.TraceFile;

/** {@code hvdbg run} end to end with a scripted guest: console, exit status, --stats, --trace, errors. */
class RunCommandTest {
    @TempDir
    Path dir;

    private Path script(String text) throws IOException {
        Path p = dir.resolve("guest.script");
        Files.writeString(p, text);
        return p;
    }

    private static CliHarness run(String... args) {
        return CliHarness.command(new RunCommand(ScriptedMachine::factory), args);
    }

    @Test
    void guestConsoleGoesToStdoutAndTheGuestStatusIsTheExitStatus() throws IOException {
        Path k = script("status 7\nhello from the guest\n");
        CliHarness r = run("--arch", "x86_64", "--kernel", k.toString());
        assertEquals("hello from the guest\n", r.out());
        assertEquals(7, r.status());
        assertEquals("", r.err());
    }

    @Test
    void statsPrintTheExitTableAfterTheConsole() throws IOException {
        Path k = script("status 0\nabc");
        CliHarness r = run("--arch", "riscv64", "--kernel", k.toString(), "--stats", "--smp", "2");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().startsWith("abc\n"), "console first, then a newline before the table: " + r.out());
        assertTrue(r.out().contains("VM-EXIT"), r.out());
        assertTrue(r.out().matches("(?s).*SCRIPT_OUT\\s+3\\s.*"), r.out());
        assertTrue(r.out().contains("Total Samples:4"), r.out());
    }

    @Test
    void traceFileHoldsEveryExitAndStatsReadsItBack() throws IOException {
        Path k = script("status 1\nxy\n");
        Path trace = dir.resolve("run.hvtrace");
        CliHarness r = run("--arch", "x86_64", "--kernel", k.toString(), "--trace", trace.toString());
        assertEquals(1, r.status(), r.err());
        ExitTrace t = TraceFile.load(trace);
        assertEquals(4, t.size(), "3 console bytes + the end");
        TraceFile.Header h = TraceFile.read(trace, (s, v, reason, time, d, pc, q, i2, c) -> true);
        assertEquals("x86_64", h.metadata().get("arch"));
        assertEquals(k.toString(), h.metadata().get("kernel"));

        CliHarness stats = CliHarness.main("stats", trace.toString());
        assertEquals(0, stats.status(), stats.err());
        assertTrue(stats.out().matches("(?s).*SCRIPT_OUT\\s+3\\s.*"), stats.out());
    }

    @Test
    void traceIntoAMissingFolderFailsBeforeTheGuestRuns() throws IOException {
        Path k = script("status 0\nnever printed\n");
        CliHarness r = run("--arch", "x86_64", "--kernel", k.toString(), "--trace", dir.resolve("no/such/t.hvtrace").toString());
        assertEquals(ExitCodes.INPUT, r.status());
        assertEquals("", r.out());
        assertTrue(r.err().startsWith("hvdbg: cannot write trace file "), r.err());
    }

    @Test
    void anErrorStopPrintsItsMessageAndExitsWithFailure() throws IOException {
        Path k = script("error triple fault at 0xfff0\npartial");
        CliHarness r = run("--arch", "x86_64", "--kernel", k.toString());
        assertEquals(ExitCodes.FAILURE, r.status());
        assertEquals("partial", r.out());
        assertEquals("hvdbg: the VM stopped with an error: triple fault at 0xfff0\n", r.err());
    }

    @Test
    void aGuestThatCanNeverWakeUpEndsWithAnErrorNotAHang() throws IOException {
        Path k = script("hang\nwaiting forever\n");
        CliHarness r = run("--arch", "riscv64", "--kernel", k.toString());
        assertEquals(ExitCodes.FAILURE, r.status());
        assertTrue(r.err().startsWith("hvdbg: the VM stopped with an error: all vCPUs are halted"), r.err());
    }

    @Test
    void anImageTheLoaderRejectsIsOneLineWithStatus4() throws IOException {
        Path k = script("BAD header\n");
        CliHarness r = run("--arch", "x86_64", "--kernel", k.toString());
        assertEquals(ExitCodes.INPUT, r.status());
        assertEquals("hvdbg: " + k + ": not a script (first line 'BAD header')\n", r.err());
    }

    @Test
    void anArchitectureThatIsNotAvailableSaysSoInOneLine() throws IOException {
        Path k = script("status 0\n");
        CliHarness r = CliHarness.command(new RunCommand(a -> {
            throw new UnsupportedOperationException("riscv64 guests are not yet available in this build");
        }), "--arch", "riscv64", "--kernel", k.toString());
        assertEquals(ExitCodes.UNAVAILABLE, r.status());
        assertEquals("hvdbg: riscv64 guests are not yet available in this build\n", r.err());
    }

    @Test
    void gdbWithoutAStubInThisBuildIsReportedNotIgnored() throws IOException {
        Path k = script("status 0\nhi\n");
        CliHarness r = run("--arch", "x86_64", "--kernel", k.toString(), "--gdb", "127.0.0.1:0");
        if (r.status() == ExitCodes.UNAVAILABLE) {
            assertEquals("hvdbg: the GDB remote stub (--gdb) is not yet available in this build\n", r.err());
        } else {
            // Once the RSP stub is installed the guest runs (no --wait-gdb) to its end.
            assertEquals(0, r.status(), r.err());
            assertEquals("hi\n", r.out());
        }
    }

    @Test
    void runParsesEveryContractOption() throws CliException {
        RunCommand.Request r = RunCommand.parse(java.util.List.of("--arch", "x86_64", "--kernel", "k.elf", "--initrd",
                "rd.img", "--append", "-v console=ttyS0", "--smp", "4", "--memory", "1G", "--vendor", "amd", "--cpu",
                "EPYC", "--gdb", "1234", "--wait-gdb", "--trace", "t.hvtrace", "--stats"));
        assertEquals(Architecture.X86_64, r.config().architecture());
        assertEquals(Path.of("k.elf"), r.config().kernel());
        assertEquals(Path.of("rd.img"), r.config().initrd());
        assertEquals("-v console=ttyS0", r.config().append());
        assertEquals(4, r.config().smp());
        assertEquals(1024, r.config().memoryMiB());
        assertTrue(r.config().amd());
        assertEquals("EPYC", r.config().cpuModel());
        assertEquals(new GdbEndpoint("127.0.0.1", 1234), r.settings().gdb());
        assertTrue(r.settings().waitForGdb());
        assertTrue(r.settings().stats());
        assertEquals(Path.of("t.hvtrace"), r.settings().trace());

        RunCommand.Request rv = RunCommand.parse(java.util.List.of("--arch=riscv64", "--kernel=Image", "--isa",
                "RV64IMAFDC_Zabha_Svvptc", "--memory=256M"));
        assertEquals("rv64imafdc_zabha_svvptc", rv.config().isa());
        assertEquals(256, rv.config().memoryMiB());
    }
}
