/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The command-line contract: help, usage errors (one line + usage, status 2), dispatch. */
class MainTest {

    @Test
    void helpPrintsEveryCommandOnStdout() {
        CliHarness r = CliHarness.main("help");
        assertEquals(ExitCodes.OK, r.status());
        for (String c : new String[] {"hvdbg demo", "hvdbg run", "hvdbg bench", "hvdbg stats", "hvdbg export", "hvdbg ide",
                "hvdbg test"}) {
            assertTrue(r.out().contains(c), "help lacks " + c);
        }
        assertEquals("", r.err());
    }

    @Test
    void helpOfOneCommandAndDashDashHelpAgree() {
        CliHarness a = CliHarness.main("help", "run");
        CliHarness b = CliHarness.main("run", "--help");
        assertEquals(0, a.status());
        assertEquals(a.out(), b.out());
        assertTrue(a.out().contains("--kernel FILE"));
        assertFalse(a.out().contains("hvdbg bench"));
    }

    @Test
    void noCommandIsAUsageError() {
        CliHarness r = CliHarness.main();
        assertEquals(ExitCodes.USAGE, r.status());
        assertEquals("hvdbg: missing command", r.firstErrorLine());
        assertTrue(r.err().contains("usage: hvdbg"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "frobnicate                                   | hvdbg: unknown command 'frobnicate'",
        "--frob                                       | hvdbg: unknown option --frob (options follow the command)",
        "run --arch x86_64 --kernel k --bogus         | hvdbg: unknown option --bogus for 'run'",
        "run --arch sparc --kernel k                  | hvdbg: option --arch must be x86_64 or riscv64, not 'sparc'",
        "run --kernel k                               | hvdbg: option --arch is required",
        "run --arch x86_64                            | hvdbg: option --kernel is required",
        "run --arch x86_64 --kernel                   | hvdbg: option --kernel needs a value",
        "run --arch x86_64 --kernel --stats           | hvdbg: option --kernel needs a value, but got option --stats",
        "run --arch x86_64 --kernel k --smp two       | hvdbg: option --smp needs a whole number, not 'two'",
        "run --arch x86_64 --kernel k --smp 256       | hvdbg: option --smp must be 1-255, not 256",
        "run --arch x86_64 --kernel k --memory 0      | hvdbg: option --memory must be 1-65536 MiB, not 0",
        "run --arch x86_64 --kernel k --memory 64T    | hvdbg: option --memory needs a size in MiB (e.g. 256 or 1G), not '64T'",
        "run --arch x86_64 --kernel k --vendor via    | hvdbg: option --vendor must be intel or amd, not 'via'",
        "run --arch x86_64 --kernel k --tdx --vendor amd | hvdbg: option --tdx needs --vendor intel (TDX is an Intel technology)",
        "run --arch x86_64 --kernel k --isa rv64gc    | hvdbg: option --isa applies to --arch riscv64 only",
        "run --arch riscv64 --kernel k --tdx          | hvdbg: option --tdx applies to --arch x86_64 only",
        "run --arch riscv64 --kernel k --isa x86      | hvdbg: option --isa must be an RV64 ISA string such as rv64imafdc_zba_zabha, not 'x86'",
        "run --arch x86_64 --kernel k --wait-gdb      | hvdbg: option --wait-gdb needs --gdb PORT",
        "run --arch x86_64 --kernel k --gdb 99999     | hvdbg: option --gdb must be PORT or HOST:PORT, not '99999': the port must be a number 0-65535",
        "run --arch x86_64 --kernel k --stats=yes     | hvdbg: option --stats takes no value, but got 'yes'",
        "run --arch x86_64 --arch riscv64 --kernel k  | hvdbg: option --arch given more than once",
        "run --arch x86_64 --kernel k extra           | hvdbg: 'run' takes no arguments, but got 'extra'",
        "demo --arch mips                             | hvdbg: option --arch must be x86_64 or riscv64, not 'mips'",
        "bench --arch                                 | hvdbg: option --arch needs a value",
        "bench no-such-benchmark                      | hvdbg: unknown benchmark 'no-such-benchmark' (known: exit-trace)",
        "stats                                        | hvdbg: missing trace FILE",
        "stats a b                                    | hvdbg: unexpected argument 'b' for 'stats'",
        "export f.hvtrace --format xml                | hvdbg: option --format must be json or csv, not 'xml'",
        "export f.hvtrace                             | hvdbg: option --format is required",
        "help frobnicate                              | hvdbg: no help for unknown command 'frobnicate'",
    })
    void badCommandLinesGiveOneLineNamingTheProblemThenUsageAndStatus2(String line, String expected) {
        CliHarness r = CliHarness.main(line.trim().split("\\s+"));
        assertEquals(ExitCodes.USAGE, r.status(), r.err());
        String first = r.firstErrorLine();
        if (line.startsWith("bench no-such")) {
            assertTrue(first.startsWith("hvdbg: unknown benchmark 'no-such-benchmark' (known: exit-trace"), first);
        } else {
            assertEquals(expected.trim(), first);
        }
        String rest = r.err().substring(first.length() + 1);
        assertTrue(rest.startsWith("usage:") || rest.startsWith("hvdbg - "), "usage must follow: " + rest);
        assertEquals("", r.out(), "nothing on stdout for a usage error");
    }

    @Test
    void missingKernelFileIsAnInputErrorOfOneLine() {
        CliHarness r = CliHarness.main("run", "--arch", "x86_64", "--kernel", "/nonexistent/guest.elf");
        assertEquals(ExitCodes.INPUT, r.status());
        assertEquals("hvdbg: cannot read kernel /nonexistent/guest.elf: no such file\n", r.err());
    }

    @Test
    void launcherCommandsSayWhereTheyLive() {
        CliHarness r = CliHarness.main("ide");
        assertEquals(ExitCodes.UNAVAILABLE, r.status());
        assertTrue(r.err().contains("launcher script"), r.err());
    }

    @Test
    void versionIsPrinted() {
        CliHarness r = CliHarness.main("--version");
        assertEquals(0, r.status());
        assertEquals("hvdbg " + Main.VERSION + "\n", r.out());
    }

    @Test
    void exportChecksItsArgumentsThenItsInputFile() {
        CliHarness r = CliHarness.main("export", "trace.hvtrace", "--format", "json");
        assertEquals(ExitCodes.INPUT, r.status());
        assertEquals("hvdbg: cannot read trace trace.hvtrace: no such file\n", r.err());
    }
}
