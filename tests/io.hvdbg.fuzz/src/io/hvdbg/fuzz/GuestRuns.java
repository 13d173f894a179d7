/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.fuzz;

import java.nio.file.Files;
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
    /** Wall-clock run per input: enough for tens of thousands of guest instructions. */
    private static final long RUN_MILLIS = Long.getLong("hvdbg.fuzz.runMillis", 20);

    private GuestRuns() {
    }

    static void bootAndRun(MachineFactory factory, Architecture arch, byte[] image, String name) {
        Path file = GuestImages.file(name, image);
        VirtualMachine vm;
        try {
            vm = factory.create(config(arch, file));
        } catch (ImageFormatException | IllegalArgumentException e) {
            requireMessage(e);
            return;
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (java.io.IOException ignored) {
                // temp file; deleteOnExit is the fallback
            }
        }
        try {
            runBriefly(vm, RUN_MILLIS);
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

    /** A small machine (16 MiB, 64 KiB exit trace) booting {@code kernel}: cheap to create per input. */
    static VmConfig config(Architecture arch, Path kernel) {
        return VmConfig.defaults(arch).withMemoryMiB(16).withTraceBytes(1 << 16).withKernel(kernel);
    }

    /**
     * Starts the VM and lets it run for {@code millis} of wall time; returns how it stopped, or
     * null if it was still running (it is paused then). The caller terminates the VM.
     */
    static StopEvent runBriefly(VirtualMachine vm, long millis) throws InterruptedException {
        vm.setStopWhenIdleForever(true);
        vm.start();
        StopEvent stop = vm.runUntilStop(millis);
        if (stop == null) {
            vm.pause();
            vm.awaitStop(0, 5_000);
        }
        return stop;
    }

    static void requireMessage(Exception e) {
        if (e.getMessage() == null || e.getMessage().isBlank()) {
            throw new AssertionError("refused without a message", e);
        }
    }
}
