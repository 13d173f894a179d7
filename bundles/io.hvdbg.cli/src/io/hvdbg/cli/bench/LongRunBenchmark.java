/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.cli.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.hvdbg.core.Architecture;
import io.hvdbg.core.MachineFactory;
import io.hvdbg.core.StopEvent;
import io.hvdbg.core.StopReason;
import io.hvdbg.core.Vcpu;
import io.hvdbg.core.VirtualMachine;
import io.hvdbg.core.VmConfig;
import io.hvdbg.core.exit.ExitTrace;
import io.hvdbg.core.memory.MemorySlot;
import io.hvdbg.core.tlb.TlbModel;
import io.hvdbg.guests.GuestImages;
import io.hvdbg.riscv.RiscvMachineFactory;
import io.hvdbg.x86.X86Machine;
import io.hvdbg.x86.X86MachineFactory;

/**
 * Bounded resources over a long run: one VM per architecture runs the long-run guest
 * (images/ARCH/longrun.elf, which loops forever making exits) for a guest-instruction budget
 * (1e9 unless {@code --instructions}) with exit tracing on. At every tenth of the budget the VM
 * is paused, the heap is collected and its used size sampled, and the trace ring and the caches
 * are looked at. The heap is flat when the last sample is within {@link #FLAT_BOUND} of the
 * first: everything the VM keeps (trace ring, decoded code, TLBs, console transcript) is bounded.
 */
public final class LongRunBenchmark implements Benchmark {
    /** Default guest-instruction budget per architecture. */
    public static final long DEFAULT_INSTRUCTIONS = 1_000_000_000L;
    /** Budget of {@code --quick} (smoke tests). */
    public static final long QUICK_INSTRUCTIONS = 20_000_000L;
    /** Heap growth from the first to the last sample still called flat. */
    public static final long FLAT_BOUND = 2L << 20;
    private static final int SAMPLES = 10;
    /** Decoded code is flagged per guest page with this memslot page flag in both cores. */
    private static final byte CODE_PAGE_FLAG = 1;

    @Override
    public String name() {
        return "long-run";
    }

    @Override
    public String description() {
        return "heap, trace ring and caches over a long traced guest run on x86_64 and riscv64 (flat = bounded)";
    }

    @Override
    public void run(BenchmarkContext context) throws Exception {
        long budget = context.instructions(context.quick() ? QUICK_INSTRUCTIONS : DEFAULT_INSTRUCTIONS);
        for (Architecture arch : new Architecture[] {Architecture.X86_64, Architecture.RISCV64}) {
            MachineFactory factory = arch == Architecture.X86_64 ? new X86MachineFactory() : new RiscvMachineFactory();
            Path guest = GuestImages.extract(arch.cliName() + "/longrun.elf");
            runOne(context, arch, factory.create(VmConfig.defaults(arch).withKernel(guest).withTraceBytes(ringBytes(budget))),
                    budget);
        }
    }

    /**
     * A ring small enough to wrap several times within the budget (the guest makes an exit every
     * few hundred instructions, ~12 bytes each): about 4 MiB for 1e9. The ring is one array
     * allocated up front, so its size moves the heap's level, not its shape.
     */
    static long ringBytes(long budget) {
        return Math.max(ExitTrace.MIN_CAPACITY, Math.min(ExitTrace.MAX_CAPACITY, budget / 250));
    }

    private static void runOne(BenchmarkContext context, Architecture arch, VirtualMachine vm, long budget)
            throws InterruptedException {
        String a = arch.cliName();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        vm.setTracing(true);
        vm.setStopWhenIdleForever(true);
        vm.start();
        long before = heapAfterGc(memory);
        List<Long> heap = new ArrayList<>();
        List<Long> at = new ArrayList<>();
        List<String> caches = new ArrayList<>();
        long t0 = System.nanoTime();
        try {
            for (int i = 1; i <= SAMPLES; i++) {
                long target = budget * i / SAMPLES;
                long stops = vm.stopCount();
                vm.resume();
                while (instructions(vm) < target) {
                    if (vm.stopCount() != stops) {
                        StopEvent e = vm.lastStop();
                        throw new IllegalStateException("the " + a + " long-run guest stopped by itself: "
                                + (e == null ? "?" : e.reason() + " " + e.message()));
                    }
                    Thread.sleep(5);
                }
                vm.pause();
                StopEvent e = vm.awaitStop(stops, 30_000);
                if (e == null || e.reason() != StopReason.PAUSED) {
                    throw new IllegalStateException("the " + a + " long-run guest did not pause: "
                            + (e == null ? "timeout" : e.reason() + " " + e.message()));
                }
                at.add(instructions(vm));
                heap.add(heapAfterGc(memory));
                caches.add(cacheSizes(vm));
            }
        } finally {
            vm.terminate();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        long executed = at.get(at.size() - 1);
        ExitTrace trace = vm.trace();
        context.note(String.format(Locale.ROOT, "%s: %,d guest instructions in %.1f s with tracing on, %,d exits recorded",
                a, executed, seconds, trace.nextSeq()));
        StringBuilder series = new StringBuilder();
        for (int i = 0; i < heap.size(); i++) {
            series.append(String.format(Locale.ROOT, " %.2f", heap.get(i) / 1048576.0));
        }
        context.note(a + ": heap used after GC, MiB, at each tenth (before the run "
                + String.format(Locale.ROOT, "%.2f", before / 1048576.0) + "):" + series);
        for (int i = 0; i < heap.size(); i++) {
            context.report(a + " heap after GC at " + (i + 1) * 100 / SAMPLES + "%", heap.get(i) / 1048576.0, "MiB");
        }
        long growth = heap.get(heap.size() - 1) - heap.get(0);
        boolean flat = growth <= FLAT_BOUND;
        context.report(a + " heap growth first to last sample", growth / 1048576.0, "MiB");
        context.note(String.format(Locale.ROOT, "%s: verdict: %s (last - first = %+.2f MiB, bound %.0f MiB)", a,
                flat ? "FLAT" : "GROWING", growth / 1048576.0, FLAT_BOUND / 1048576.0));
        context.report(a + " guest MIPS (tracing on, paused 10 times)", executed / seconds / 1e6, "MIPS");
        context.report(a + " exits recorded", trace.nextSeq(), "exits");
        context.report(a + " trace ring capacity", trace.capacityBytes(), "B");
        context.report(a + " trace ring bytes used", trace.bytesUsed(), "B");
        context.report(a + " trace ring exits held", trace.size(), "exits");
        context.report(a + " trace ring exits overwritten (dropped oldest)", trace.firstSeq(), "exits");
        context.note(a + ": caches at each tenth: " + String.join(" | ", caches));
    }

    private static long instructions(VirtualMachine vm) {
        long n = 0;
        for (Vcpu v : vm.vcpus()) {
            n += v.instructions();
        }
        return n;
    }

    private static long heapAfterGc(MemoryMXBean memory) {
        long best = Long.MAX_VALUE;
        // Two collections: the first may leave objects with finalizers or references pending.
        for (int i = 0; i < 2; i++) {
            System.gc();
            best = Math.min(best, memory.getHeapMemoryUsage().getUsed());
        }
        return best;
    }

    /** Decoded code pages (memslot flag), TLB entries and flush history, console transcript. */
    private static String cacheSizes(VirtualMachine vm) {
        int code = 0;
        for (MemorySlot s : vm.memory().slots()) {
            for (byte f : s.pageFlags()) {
                code += (f & CODE_PAGE_FLAG) != 0 ? 1 : 0;
            }
        }
        int entries = 0;
        int history = 0;
        for (int i = 0; i < vm.vcpuCount(); i++) {
            TlbModel tlb = vm.tlb(i);
            if (tlb != null) {
                entries += tlb.entries().size();
                history += tlb.history(Integer.MAX_VALUE).size();
            }
        }
        String decoded = vm instanceof X86Machine x ? " (decode cache " + x.decodeCache().cachedPages() + " pages, "
                + x.decodeCache().invalidations() + " invalidations)" : "";
        return "code pages " + code + decoded + ", TLB entries " + entries + ", flush history " + history
                + ", console " + vm.console().transcript().length() + " chars";
    }
}
