/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.cli.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.hvdbg.core.StopEvent;
import io.hvdbg.core.StopReason;
import io.hvdbg.core.Vcpu;
import io.hvdbg.core.VirtualMachine;
import io.hvdbg.core.VmListener;

/**
 * Times one benchmark guest run to its end: retired guest instructions, wall seconds, and the
 * CPU seconds of the VM thread (the figure that stays meaningful on a machine shared with other work).
 */
final class GuestRunTiming {
    private GuestRunTiming() {
    }

    record Run(long instructions, double seconds, double cpuSeconds) {
        double mips() {
            return instructions / seconds / 1e6;
        }

        double cpuMips() {
            return instructions / cpuSeconds / 1e6;
        }
    }

    /** Runs a fresh VM (tracing off) to its shutdown, which must carry {@code passStatus}; the VM is terminated. */
    static Run measure(VirtualMachine vm, int passStatus) throws InterruptedException {
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
        if (e == null || e.reason() != StopReason.SHUTDOWN || e.exitStatus() != passStatus) {
            throw new IllegalStateException("the benchmark guest did not pass: " + (e == null ? "timeout" : e.message()));
        }
        long n = 0;
        for (Vcpu v : vm.vcpus()) {
            n += v.instructions();
        }
        return new Run(n, t / 1e9, Math.max(1, cpu[0]) / 1e9);
    }

    /**
     * The QEMU TCG comparison lines: QEMU's guest MIPS by wall clock and per CPU second of its
     * process, and hvdbg's time over QEMU's both ways (the CPU ratio holds on a loaded machine).
     */
    static void reportQemu(BenchmarkContext context, Run best, QemuTiming.Work qemu) {
        context.report("QEMU TCG guest MIPS", best.instructions() / qemu.seconds() / 1e6, "MIPS");
        context.report("QEMU TCG guest MIPS per CPU second of the process", best.instructions() / qemu.cpuSeconds() / 1e6, "MIPS");
        context.report("hvdbg time / QEMU TCG time", best.seconds() / qemu.seconds(), "x");
        context.report("hvdbg CPU time / QEMU TCG CPU time", best.cpuSeconds() / qemu.cpuSeconds(), "x");
    }

    /** The fastest run (wall clock). */
    static Run best(List<Run> runs) {
        Run b = runs.get(0);
        for (Run r : runs) {
            if (r.seconds() < b.seconds()) {
                b = r;
            }
        }
        return b;
    }
}
