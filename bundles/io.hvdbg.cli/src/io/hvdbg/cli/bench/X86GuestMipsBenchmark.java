/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.cli.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
    /**
     * Rounds of the guest's work (~2 M instructions each): enough that QEMU's part is measured
     * over a good fraction of a second and the block compiler's warm-up is a small share of it.
     */
    private static final int ROUNDS = 200;

    @Override
    public String name() {
        return "x86_64-guest-mips";
    }

    @Override
    public String description() {
        return "guest MIPS of the x86_64 core (block compiler on) on a CPU-bound guest, and the ratio to QEMU TCG";
    }

    @Override
    public Architecture architecture() {
        return Architecture.X86_64;
    }

    @Override
    public void run(BenchmarkContext context) throws Exception {
        Path bench = GuestImages.extract("x86_64/bench.elf");
        int rounds = context.quick() ? 2 : ROUNDS;
        int runs = context.quick() ? 1 : 5;
        List<GuestRunTiming.Run> measured = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            measured.add(GuestRunTiming.measure(new X86MachineFactory().create(VmConfig.defaults(Architecture.X86_64)
                    .withKernel(bench).withAppend("rounds=" + rounds).withTraceBytes(1 << 20)), PASS));
        }
        GuestRunTiming.Run best = GuestRunTiming.best(measured);
        context.report("guest MIPS (best of " + runs + ")", best.mips(), "MIPS");
        context.report("guest MIPS per CPU second of the VM thread", best.cpuMips(), "MIPS");
        context.report("guest instructions", best.instructions(), "instr");
        String qemu = QemuTiming.find("qemu-system-x86_64");
        if (context.quick() || qemu == null) {
            context.note(context.quick() ? "QEMU comparison skipped (--quick)"
                    : "qemu-system-x86_64 not installed: no QEMU TCG comparison");
            return;
        }
        QemuTiming.Work q = QemuTiming.measure(qemuCommand(qemu, bench, rounds), qemuCommand(qemu, bench, 0), PASS, 3);
        GuestRunTiming.reportQemu(context, best, q);
    }

    private static List<String> qemuCommand(String qemu, Path kernel, int rounds) {
        return List.of(qemu, "-M", "pc", "-m", "128", "-cpu", "max", "-kernel", kernel.toString(), "-append",
                "rounds=" + rounds, "-device", "isa-debug-exit,iobase=0xf4,iosize=4", "-serial", "null", "-display",
                "none", "-monitor", "none", "-no-reboot");
    }
}
