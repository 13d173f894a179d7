/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.cli.bench;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.hvdbg.core.Architecture;
import io.hvdbg.core.VmConfig;
import io.hvdbg.guests.GuestImages;
import io.hvdbg.x86.X86MachineFactory;

/**
 * Guest MIPS of the x86-64 interpreter on the CPU-bound multiboot guest (images/x86_64/bench.elf,
 * "rounds=N" on its command line), and the same guest under QEMU TCG ({@code -M pc}) when
 * qemu-system-x86_64 is installed: QEMU's time for N rounds minus its time for 0 rounds, so both
 * sides are measured on the guest's own work.
 */
public final class X86GuestMipsBenchmark implements Benchmark {
    /** The guest's pass status through isa-debug-exit: (0 << 1) | 1. */
    private static final int PASS = 1;

    @Override
    public String name() {
        return "x86_64-guest-mips";
    }

    @Override
    public String description() {
        return "guest MIPS of the x86_64 interpreter on a CPU-bound guest (and the ratio to QEMU TCG)";
    }

    @Override
    public Architecture architecture() {
        return Architecture.X86_64;
    }

    @Override
    public void run(BenchmarkContext context) throws Exception {
        Path bench = GuestImages.extract("x86_64/bench.elf");
        int rounds = context.quick() ? 2 : 40;
        int runs = context.quick() ? 1 : 5;
        List<GuestRunTiming.Run> measured = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            measured.add(GuestRunTiming.measure(new X86MachineFactory().create(VmConfig.defaults(Architecture.X86_64)
                    .withKernel(bench).withAppend("rounds=" + rounds).withTraceBytes(1 << 20)), PASS));
        }
        GuestRunTiming.Run best = GuestRunTiming.best(measured);
        long instructions = best.instructions();
        double bestSeconds = best.seconds();
        context.report("guest MIPS (best of " + runs + ")", best.mips(), "MIPS");
        context.report("guest MIPS per CPU second of the VM thread", best.cpuMips(), "MIPS");
        context.report("guest instructions", instructions, "instr");
        String qemu = qemu();
        if (context.quick() || qemu == null) {
            context.note(context.quick() ? "QEMU comparison skipped (--quick)"
                    : "qemu-system-x86_64 not installed: no QEMU TCG comparison");
            return;
        }
        double full = Double.MAX_VALUE;
        double empty = Double.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            full = Math.min(full, runQemu(qemu, bench, rounds));
            empty = Math.min(empty, runQemu(qemu, bench, 0));
        }
        double qemuSeconds = Math.max(1e-6, full - empty);
        context.report("QEMU TCG guest MIPS", instructions / qemuSeconds / 1e6, "MIPS");
        context.report("hvdbg time / QEMU TCG time", bestSeconds / qemuSeconds, "x");
    }

    private static String qemu() {
        String path = System.getenv("PATH");
        for (String dir : path == null ? new String[0] : path.split(File.pathSeparator)) {
            File f = new File(dir, "qemu-system-x86_64");
            if (f.canExecute()) {
                return f.getPath();
            }
        }
        return null;
    }

    private static double runQemu(String qemu, Path kernel, int rounds) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(List.of(qemu, "-M", "pc", "-m", "128", "-cpu", "max", "-kernel",
                kernel.toString(), "-append", "rounds=" + rounds, "-device", "isa-debug-exit,iobase=0xf4,iosize=4",
                "-serial", "null", "-display", "none", "-monitor", "none", "-no-reboot"));
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        long t0 = System.nanoTime();
        Process p = pb.start();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("qemu-system-x86_64 did not finish " + kernel + " within 300 s");
        }
        if (p.exitValue() != PASS) {
            throw new IOException("the benchmark guest failed under QEMU (status " + p.exitValue() + ")");
        }
        return (System.nanoTime() - t0) / 1e9;
    }
}
