/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.cli.bench;

import java.nio.file.Path;
import java.util.List;

import io.hvdbg.core.Architecture;
import io.hvdbg.core.MachineFactory;
import io.hvdbg.core.VmConfig;
import io.hvdbg.guests.GuestImages;
import io.hvdbg.riscv.RiscvMachineFactory;
import io.hvdbg.rsp.bench.RspBenchmarks;
import io.hvdbg.x86.X86MachineFactory;

/** GDB stub figures: stepi round trips (raw client, gdb, QEMU's gdbstub side by side) and qHvdbg exit records per second. */
public final class RspBenchmark implements Benchmark {
    private final Architecture arch;

    public RspBenchmark(Architecture arch) {
        this.arch = arch;
    }

    @Override
    public String name() {
        return "rsp-" + arch.cliName();
    }

    @Override
    public String description() {
        return "GDB stub: stepi round trips vs QEMU's gdbstub, exit records over qHvdbg (" + arch.cliName() + ")";
    }

    @Override
    public Architecture architecture() {
        return arch;
    }

    @Override
    public void run(BenchmarkContext context) throws Exception {
        Path kernel = GuestImages.extract(arch.cliName() + "/bench.elf");
        MachineFactory factory = arch == Architecture.X86_64 ? new X86MachineFactory() : new RiscvMachineFactory();
        boolean x86 = arch == Architecture.X86_64;
        List<String> qemu = x86
                ? List.of("qemu-system-x86_64", "-display", "none", "-monitor", "none", "-serial", "null", "-kernel",
                        kernel.toString())
                : List.of("qemu-system-riscv64", "-M", "virt", "-display", "none", "-monitor", "none", "-serial", "null",
                        "-kernel", kernel.toString());
        context.note("goals: stepi >= 1.5x QEMU's gdbstub (same client, same guest, loopback); 1M exit records < 1 s");
        RspBenchmarks.run(() -> factory.create(VmConfig.defaults(arch).withKernel(kernel).withTraceBytes(256L << 20)),
                x86 ? "gdb" : "gdb-multiarch", List.of("set architecture " + arch.gdbArchitecture()), qemu,
                context.quick(), context::report);
    }
}
