/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.riscv;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.file.Path;

import io.hvdbg.core.Architecture;
import io.hvdbg.core.StopEvent;
import io.hvdbg.core.VirtualMachine;
import io.hvdbg.core.VmConfig;
import io.hvdbg.guests.GuestImages;

/** Runs a bundled riscv64 guest image to its end, as {@code hvdbg run} does in batch mode. */
final class GuestRun {
    final VirtualMachine vm;
    final StopEvent end;

    private GuestRun(VirtualMachine vm, StopEvent end) {
        this.vm = vm;
        this.end = end;
    }

    static VmConfig config(String image) throws Exception {
        Path kernel = GuestImages.extract("riscv64/" + image);
        return VmConfig.defaults(Architecture.RISCV64).withKernel(kernel).withMemoryMiB(64).withTraceBytes(1 << 20);
    }

    static GuestRun run(String image) throws Exception {
        return run(config(image));
    }

    static GuestRun run(VmConfig config) throws Exception {
        VirtualMachine vm = new RiscvMachineFactory().create(config);
        vm.setStopWhenIdleForever(true);
        vm.start();
        StopEvent e = vm.runUntilStop(20_000);
        vm.terminate();
        assertNotNull(e, "the guest did not end within 20 s; console:\n" + vm.console().transcript());
        return new GuestRun(vm, e);
    }

    String console() {
        return vm.console().transcript();
    }

    long exits(String reason) {
        return vm.statistics().report(-1).stream().filter(r -> r.reason().name().equals(reason))
                .mapToLong(r -> r.samples()).sum();
    }

    String describe() {
        return end.reason() + " (" + end.message() + ", status " + end.exitStatus() + ")\n" + console();
    }
}
