/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.fuzz;

import java.nio.file.Path;

import io.hvdbg.core.Architecture;
import io.hvdbg.core.MachineFactory;
import io.hvdbg.core.StopEvent;
import io.hvdbg.core.VirtualMachine;
import io.hvdbg.core.VmConfig;
import io.hvdbg.core.loader.ImageFormatException;

/**
 * Boots an image on a machine and runs it briefly; the only acceptable outcomes are a refusal
 * naming the input (ImageFormatException / IllegalArgumentException with a message) or a run
 * that ends as the guest's own doing (exit, fault, shutdown, clean stop). A Java exception
 * escaping the core is a finding: it is rethrown so the fuzzer reports it with its stack.
 */
final class GuestRuns {
    /**
     * Guest time each input runs (about one instruction per guest nanosecond): a budget in guest
     * time, not wall time, so a run reaches the same point on any host at any load and a fixed
     * seed and run count give the same fuzzing session every time.
     */
    static final long RUN_GUEST_NS = Long.getLong("hvdbg.fuzz.guestNs", 20_000);
    /** Wall-clock bound of one run: a run that neither stops nor reaches its guest-time budget by then hangs. */
    private static final long HANG_MILLIS = 10_000;
    /**
     * Guest RAM of the fuzzed machines. Creating a machine costs mostly the allocation and
     * collection of its RAM (the profile of 400 creations shows few samples in hvdbg's own code),
     * so it is kept small: 4 MiB on x86 still holds the loaders' structures and a 2 MiB-based
     * guest; RISC-V kernels load at RAM + 2 MiB and the FDT goes above them, so 8 MiB there.
     */
    static int memoryMiB(Architecture arch) {
        return arch == Architecture.X86_64 ? 4 : 8;
    }

    private GuestRuns() {
    }

    static void bootAndRun(MachineFactory factory, Architecture arch, byte[] image, String name) {
        VirtualMachine vm;
        try (GuestImages.ImageFile file = GuestImages.file(name, image)) {
            vm = factory.create(config(arch, file.path()));
        } catch (ImageFormatException | IllegalArgumentException e) {
            requireMessage(e);
            return;
        }
        try {
            runBriefly(vm, RUN_GUEST_NS);
            Throwable bug = vm.lastInternalError();
            if (bug != null) {
                throw new AssertionError("a Java exception escaped the " + arch.cliName() + " core: " + bug, bug);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            vm.terminate();
        }
    }

    /** A small machine ({@link #memoryMiB}, 64 KiB exit trace) booting {@code kernel}: cheap to create per input. */
    static VmConfig config(Architecture arch, Path kernel) {
        return VmConfig.defaults(arch).withMemoryMiB(memoryMiB(arch)).withTraceBytes(1 << 16).withKernel(kernel);
    }

    /**
     * Starts the VM and lets it run for {@code guestNs} of guest time; returns how it stopped, or
     * null if it was still running at the budget (it is paused then). The caller terminates the VM.
     * A run that does neither within {@link #HANG_MILLIS} of wall time is a finding (a hang).
     */
    static StopEvent runBriefly(VirtualMachine vm, long guestNs) throws InterruptedException {
        vm.setStopWhenIdleForever(true);
        vm.setGuestTimeLimit(guestNs);
        StopEvent stop = vm.runUntilStop(HANG_MILLIS);
        if (stop == null) {
            vm.pause();
            StopEvent late = vm.awaitStop(0, 5_000);
            throw new AssertionError("the " + vm.architecture().cliName() + " guest neither stopped nor reached its "
                    + guestNs + " ns guest-time budget within " + HANG_MILLIS + " ms: "
                    + (late == null ? "and it does not pause either" : "paused at " + late));
        }
        return stop.reason() == io.hvdbg.core.StopReason.PAUSED ? null : stop;
    }

    static void requireMessage(Exception e) {
        if (e.getMessage() == null || e.getMessage().isBlank()) {
            throw new AssertionError("refused without a message", e);
        }
    }
}
