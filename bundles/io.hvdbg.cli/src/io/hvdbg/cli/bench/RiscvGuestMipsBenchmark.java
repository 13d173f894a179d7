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
import io.hvdbg.riscv.RiscvMachineFactory;

/** Guest MIPS of the riscv64 core on riscv64/bench.elf ("rounds=N"), and QEMU TCG on the same guest when installed. */
public final class RiscvGuestMipsBenchmark implements Benchmark {
    /**
     * Rounds of the guest's work (~2.1 M instructions each): enough that QEMU's part is measured
     * over a good fraction of a second and the block compiler's warm-up is a small share of it.
     */
    private static final int ROUNDS = 200;

    @Override
    public String name() {
        return "riscv64-guest-mips";
    }

    @Override
    public String description() {
        return "guest MIPS of the riscv64 core (block compiler on) on a CPU-bound guest, and the ratio to QEMU TCG";
    }

    @Override
    public Architecture architecture() {
        return Architecture.RISCV64;
    }

    @Override
    public void run(BenchmarkContext context) throws Exception {
        Path bench = GuestImages.extract("riscv64/bench.elf");
        List<GuestRunTiming.Run> runs = new ArrayList<>();
        int rounds = context.quick() ? 2 : ROUNDS;
        for (int i = 0, n = context.quick() ? 1 : 5; i < n; i++) {
            runs.add(GuestRunTiming.measure(new RiscvMachineFactory().create(VmConfig.defaults(Architecture.RISCV64)
                    .withKernel(bench).withAppend("rounds=" + rounds).withTraceBytes(1 << 20)), 0));
        }
        GuestRunTiming.Run best = GuestRunTiming.best(runs);
        context.report("guest MIPS (best of " + runs.size() + ")", best.mips(), "MIPS");
        context.report("guest MIPS per CPU second of the VM thread", best.cpuMips(), "MIPS");
        context.report("guest instructions", best.instructions(), "instr");
        String qemu = QemuTiming.find("qemu-system-riscv64");
        if (context.quick() || qemu == null) {
            context.note(context.quick() ? "QEMU comparison skipped (--quick)" : "qemu-system-riscv64 not installed: no QEMU TCG comparison");
            return;
        }
        // The rounds=0 run boots QEMU's OpenSBI and the guest, which ends at once: the difference is the guest's work.
        QemuTiming.Work q = QemuTiming.measure(qemuCommand(qemu, bench, rounds), qemuCommand(qemu, bench, 0), 0, 3);
        GuestRunTiming.reportQemu(context, best, q);
    }

    private static List<String> qemuCommand(String qemu, Path kernel, int rounds) {
        return List.of(qemu, "-M", "virt", "-m", "128", "-nographic", "-monitor", "none", "-serial", "stdio",
                "-kernel", kernel.toString(), "-append", "rounds=" + rounds);
    }
}
