/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.cli;

/** The usage texts of {@code hvdbg} and its commands (the command-line contract in docs/architecture.md). */
public final class Usage {
    private Usage() {
    }

    static final String DEMO = """
            hvdbg demo [--arch x86_64|riscv64]
                Runs the bundled demo guest of each architecture (or of --arch): prints its
                console, then its VM-exit statistics.
            """;

    static final String RUN = """
            hvdbg run --arch x86_64|riscv64 --kernel FILE [--initrd FILE] [--append ARGS]
                      [--smp N] [--memory MIB] [--vendor intel|amd] [--cpu MODEL] [--isa LIST]
                      [--tdx] [--option KEY=VALUE,...] [--gdb [HOST:]PORT [--wait-gdb]]
                      [--trace FILE] [--stats]
                Boots FILE as QEMU's -kernel does (x86: multiboot v1 ELF or ELF64; RISC-V: Linux
                Image or ELF in VS-mode with SBI). The guest console goes to stdout; hvdbg ends
                with the guest's exit status (x86: (V << 1) | 1 for V written to port 0xf4;
                RISC-V: 0 for SBI shutdown, 1 for a system-failure reset).
                  --smp N          vCPUs, 1-255 (default 1)
                  --memory MIB     guest RAM in MiB, or with a G suffix (default 128)
                  --vendor V       x86 exit flavour: intel (VMX, default) or amd (SVM)
                  --cpu MODEL      x86 CPUID model
                  --isa LIST       RISC-V ISA string, e.g. rv64imafdc_zba_zbb_zabha
                  --tdx            run the x86 guest as an Intel TDX trust domain
                  --option K=V,... machine properties, e.g. amd-cr4-pge-flush=pre-6.14|6.14,
                                   tdx-debug=on, intercept-exceptions=BP,14, isa.1=ISA,
                                   jit=off (interpret only; default on), jit-threshold=N
                  --gdb [HOST:]PORT  serve the GDB remote protocol (HOST defaults to 127.0.0.1)
                  --wait-gdb       hold the guest until a debugger attaches (needs --gdb)
                  --trace FILE     write the recorded VM-exit trace to FILE after the run
                  --stats          print the VM-exit statistics table after the run
            """;

    static final String BENCH = """
            hvdbg bench [--list] [--arch x86_64|riscv64] [--quick] [--instructions N] [NAME...]
                Runs benchmarks (all, those of --arch, or the NAMEs) and prints their figures;
                --list names them, --quick runs short versions, --instructions sets the guest
                instruction budget of long-run (default 1e9, e.g. 2e7). See docs/benchmarks.md.
            """;

    static final String STATS = """
            hvdbg stats FILE
                Prints the perf-kvm-stat-style table of an exit trace: one recorded with
                --trace (.hvtrace), or a KVM host trace (ftrace / trace-cmd report / perf
                script text with kvm:kvm_exit events, VMX or SVM; see docs/kvm-traces.md).
            """;

    static final String EXPORT = """
            hvdbg export FILE --format json|csv [--output OUT]
                Converts an exit trace (.hvtrace or a KVM host trace, as for stats) to
                Perfetto/Chrome trace JSON or CSV (default: stdout).
            """;

    static final String LAUNCHER = """
            hvdbg ide [--workspace DIR]
                Starts the Eclipse-based IDE with the hvdbg plug-in (builds it first if needed).
            hvdbg test
                Runs the whole test suite (Tycho: headless and UI tests, p2 repository, product).
            """;

    static final String HEADER = """
            hvdbg - hypervisor-level debugging of x86-64 and RISC-V guests

            usage: hvdbg [--debug] COMMAND [OPTIONS]   (hvdbg help COMMAND for one command)

            """;

    static final String FOOTER = """

            Exit status: the guest's status for run/demo (0 or odd), else 0 on success;
            hvdbg's own failures are even: 2 bad command line, 4 unreadable or unloadable input
            file, 6 the VM stopped with an error or hvdbg failed, 8 not yet available in this build.
            --debug prints stack traces of internal errors.
            """;

    /** The full usage text. */
    public static String all() {
        return HEADER + DEMO + RUN + BENCH + STATS + EXPORT + LAUNCHER + FOOTER;
    }

    /** The usage of one command, or the full text for an unknown or null command. */
    public static String of(String command) {
        if (command == null) {
            return all();
        }
        String body = switch (command) {
            case "demo" -> DEMO;
            case "run" -> RUN;
            case "bench" -> BENCH;
            case "stats" -> STATS;
            case "export" -> EXPORT;
            case "ide", "test" -> LAUNCHER;
            default -> null;
        };
        return body == null ? all() : "usage:\n" + body;
    }
}
