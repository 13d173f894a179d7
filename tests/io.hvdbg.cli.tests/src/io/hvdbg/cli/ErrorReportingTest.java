/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.hvdbg.guests.GuestImages;

/**
 * Bad input on every path ends in one line naming the input, never a stack trace; {@code --debug}
 * adds the stack trace of what went wrong (internal errors, and the cause behind a refused image).
 */
class ErrorReportingTest {
    @TempDir
    Path dir;

    @Test
    void anInternalErrorIsOneLineWithoutDebugAndAStackTraceWithIt() {
        IllegalStateException bug = new IllegalStateException("boom");
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        assertEquals(ExitCodes.FAILURE, Main.internalError(bug, false, new PrintStream(buf, true)));
        assertEquals("hvdbg: internal error: java.lang.IllegalStateException: boom (run with --debug for details)\n",
                buf.toString());
        buf.reset();
        assertEquals(ExitCodes.FAILURE, Main.internalError(bug, true, new PrintStream(buf, true)));
        String withDebug = buf.toString();
        assertTrue(withDebug.startsWith("hvdbg: internal error: java.lang.IllegalStateException: boom\n"), withDebug);
        assertTrue(withDebug.contains("\tat io.hvdbg.cli.ErrorReportingTest."), withDebug);
    }

    @Test
    void truncatedGuestImagesOfBothArchitecturesAreOneLineNamingTheFile() throws IOException {
        for (String arch : new String[] {"x86_64", "riscv64"}) {
            byte[] image = Files.readAllBytes(GuestImages.extract(arch + "/demo.elf"));
            for (int length : new int[] {0, 3, 52, 64, image.length / 2}) {
                Path cut = dir.resolve(arch + "-demo-" + length + ".elf");
                Files.write(cut, Arrays.copyOf(image, length));
                CliHarness r = CliHarness.main("run", "--arch", arch, "--kernel", cut.toString());
                assertEquals(ExitCodes.INPUT, r.status(), arch + " cut at " + length + ": " + r.err() + r.out());
                assertOneLineNaming(r.err(), cut.toString());
            }
        }
    }

    @Test
    void withDebugARefusedImageStillSaysWhatIsWrongInItsFirstLineThenShowsTheCause() throws IOException {
        byte[] image = Files.readAllBytes(GuestImages.extract("riscv64/demo.elf"));
        Path cut = dir.resolve("cut.elf");
        Files.write(cut, Arrays.copyOf(image, image.length / 2));
        CliHarness plain = CliHarness.main("run", "--arch", "riscv64", "--kernel", cut.toString());
        CliHarness debug = CliHarness.main("--debug", "run", "--arch", "riscv64", "--kernel", cut.toString());
        assertEquals(plain.status(), debug.status());
        assertEquals(plain.firstErrorLine(), debug.firstErrorLine());
        assertTrue(debug.err().contains("ImageFormatException") && debug.err().contains("\tat io.hvdbg."), debug.err());
        assertNull(System.getProperty(Main.DEBUG_PROPERTY), "--debug must not outlive its command");
    }

    @Test
    void kernelsThatAreFoldersOrInitrdsThatAreMissingAreOneLine() throws IOException {
        CliHarness r = CliHarness.main("run", "--arch", "x86_64", "--kernel", dir.toString());
        assertEquals(ExitCodes.INPUT, r.status(), r.err());
        assertOneLineNaming(r.err(), dir.toString());
        Path kernel = GuestImages.extract("riscv64/demo.elf");
        Path initrd = dir.resolve("no-initrd.cpio");
        r = CliHarness.main("run", "--arch", "riscv64", "--kernel", kernel.toString(), "--initrd", initrd.toString());
        assertEquals(ExitCodes.INPUT, r.status(), r.err());
        assertOneLineNaming(r.err(), initrd.toString());
    }

    @Test
    void garbageAndTruncatedTracesAreOneLineForStatsAndExport() throws IOException {
        Path garbage = dir.resolve("garbage.hvtrace");
        Files.write(garbage, "this is not a trace\n\u0001\u0002".getBytes(StandardCharsets.ISO_8859_1));
        Path trace = dir.resolve("demo.hvtrace");
        CliHarness run = CliHarness.main("run", "--arch", "riscv64", "--kernel",
                GuestImages.extract("riscv64/demo.elf").toString(), "--trace", trace.toString());
        assertEquals(0, run.status(), run.err());
        byte[] whole = Files.readAllBytes(trace);
        Path cut = dir.resolve("cut.hvtrace");
        Files.write(cut, Arrays.copyOf(whole, whole.length / 2));
        for (Path p : new Path[] {garbage, cut}) {
            CliHarness stats = CliHarness.main("stats", p.toString());
            CliHarness export = CliHarness.main("export", p.toString(), "--format", "csv");
            for (CliHarness r : new CliHarness[] {stats, export}) {
                if (r.status() == 0) {
                    // A truncated trace may still be readable up to its last whole record: then no error at all.
                    assertTrue(p == cut && r.err().isEmpty(), p + ": " + r.err());
                    continue;
                }
                assertEquals(ExitCodes.INPUT, r.status(), p + ": " + r.err());
                assertOneLineNaming(r.err(), p.toString());
            }
        }
    }

    @Test
    void unknownDebugPlacementIsAUsageErrorNotIgnored() {
        CliHarness r = CliHarness.main("run", "--debug", "--arch", "x86_64", "--kernel", "k");
        assertEquals(ExitCodes.USAGE, r.status());
        assertEquals("hvdbg: unknown option --debug for 'run'", r.firstErrorLine());
    }

    private static void assertOneLineNaming(String err, String input) {
        assertTrue(err.endsWith("\n") && err.indexOf('\n') == err.length() - 1, "one line: " + err);
        assertTrue(err.startsWith("hvdbg: "), err);
        assertTrue(err.contains(input), "the message must name " + input + ": " + err);
        assertFalse(err.contains("Exception") || err.contains("\tat "), "no stack trace or exception class for users: " + err);
    }
}
