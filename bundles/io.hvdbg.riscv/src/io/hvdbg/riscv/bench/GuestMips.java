/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.riscv.bench;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.hvdbg.core.Architecture;
import io.hvdbg.core.StopEvent;
import io.hvdbg.core.StopReason;
import io.hvdbg.core.VirtualMachine;
import io.hvdbg.core.VmConfig;
import io.hvdbg.core.VmListener;
import io.hvdbg.riscv.RiscvMachineFactory;

/**
 * Guest MIPS of the riscv64 core on a CPU-bound guest (images/riscv64/bench.elf of
 * io.hvdbg.guests), and the same guest under QEMU TCG when qemu-system-riscv64 is installed:
 * what {@code hvdbg bench --arch riscv64} reports.
 */
public final class GuestMips {
    private GuestMips() {
    }

    /**
     * One measured run: retired guest instructions, wall seconds, and the CPU seconds of the VM
     * thread (what the figure is on a machine shared with other work).
     */
    public record Run(long instructions, double seconds, double cpuSeconds) {
        public double mips() {
            return instructions / seconds / 1e6;
        }

        public double cpuMips() {
            return instructions / cpuSeconds / 1e6;
        }
    }

    /**
     * Runs the guest {@code runs} times in fresh VMs and returns every run (the first ones warm
     * up the JIT; report the best). Each run must end through SBI SRST with status 0.
     */
    public static List<Run> measure(Path kernel, int runs) throws Exception {
        List<Run> out = new ArrayList<>();
        VmConfig config = VmConfig.defaults(Architecture.RISCV64).withKernel(kernel).withTraceBytes(1 << 20);
        for (int i = 0; i < runs; i++) {
            VirtualMachine vm = new RiscvMachineFactory().create(config);
            vm.setTracing(false);
            vm.setStopWhenIdleForever(true);
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long[] cpu = new long[1];
            CountDownLatch stopped = new CountDownLatch(1);
            vm.addListener(new VmListener() {
                @Override
                public void resumed() {
                    cpu[0] = -threads.getCurrentThreadCpuTime();
                }

                @Override
                public void stopped(StopEvent event) {
                    cpu[0] += threads.getCurrentThreadCpuTime();
                    stopped.countDown();
                }
            });
            vm.start();
            long t0 = System.nanoTime();
            StopEvent e = vm.runUntilStop(600_000);
            long t = System.nanoTime() - t0;
            stopped.await(10, TimeUnit.SECONDS);
            vm.terminate();
            if (e == null || e.reason() != StopReason.SHUTDOWN || e.exitStatus() != 0) {
                throw new IllegalStateException("the benchmark guest did not end cleanly: " + (e == null ? "timeout" : e.message()));
            }
            long n = 0;
            for (var v : vm.vcpus()) {
                n += v.instructions();
            }
            out.add(new Run(n, t / 1e9, Math.max(1, cpu[0]) / 1e9));
        }
        return out;
    }

    /** The best (fastest) run. */
    public static Run best(List<Run> runs) {
        Run b = runs.get(0);
        for (Run r : runs) {
            if (r.seconds() < b.seconds()) {
                b = r;
            }
        }
        return b;
    }

    /** The qemu-system-riscv64 on PATH, or null. */
    public static Path qemu() {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path p = Path.of(dir, "qemu-system-riscv64");
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /**
     * Seconds QEMU TCG (virt machine, its default OpenSBI) needs for the guest, best of
     * {@code runs}, minus the best time of {@code emptyKernel} (boot and exit only), so the
     * figure is the guest's own run time. Null if QEMU is not installed.
     */
    public static Double qemuSeconds(Path kernel, Path emptyKernel, int runs) throws IOException, InterruptedException {
        Path q = qemu();
        if (q == null) {
            return null;
        }
        double full = Double.MAX_VALUE;
        double empty = Double.MAX_VALUE;
        for (int i = 0; i < runs; i++) {
            full = Math.min(full, runQemu(q, kernel));
            empty = Math.min(empty, runQemu(q, emptyKernel));
        }
        return Math.max(1e-6, full - empty);
    }

    private static double runQemu(Path qemu, Path kernel) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(qemu.toString(), "-M", "virt", "-m", "128", "-nographic", "-monitor",
                "none", "-serial", "stdio", "-kernel", kernel.toString());
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        long t0 = System.nanoTime();
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("qemu-system-riscv64 did not finish " + kernel + " within 120 s");
        }
        return (System.nanoTime() - t0) / 1e9;
    }
}
