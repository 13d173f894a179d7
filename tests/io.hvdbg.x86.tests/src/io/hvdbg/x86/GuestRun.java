/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.x86;

import java.nio.file.Path;

import io.hvdbg.core.Architecture;
import io.hvdbg.core.StopEvent;
import io.hvdbg.core.StopReason;
import io.hvdbg.core.VmConfig;
import io.hvdbg.guests.GuestImages;

/** Runs a bundled x86 guest image to its end (tests' helper). */
final class GuestRun {
    final X86Machine vm;
    final StopEvent end;

    private GuestRun(X86Machine vm, StopEvent end) {
        this.vm = vm;
        this.end = end;
    }

    static VmConfig config(String image) throws Exception {
        Path kernel = GuestImages.extract("x86_64/" + image);
        return VmConfig.defaults(Architecture.X86_64).withKernel(kernel).withTraceBytes(1 << 20);
    }

    static GuestRun run(VmConfig config) throws Exception {
        X86Machine vm = (X86Machine) new X86MachineFactory().create(config);
        vm.setStopWhenIdleForever(true);
        StopEvent end = vm.runUntilStop(20_000);
        while (end != null && end.reason() != StopReason.SHUTDOWN && end.reason() != StopReason.ERROR
                && end.reason() != StopReason.PAUSED) {
            end = vm.runUntilStop(20_000);
        }
        vm.terminate();
        return new GuestRun(vm, end);
    }

    static GuestRun run(String image) throws Exception {
        return run(config(image));
    }

    String console() {
        return vm.console().transcript();
    }

    /** What a failing assertion should show: the stop and the console. */
    String describe() {
        return "stop: " + (end == null ? "timeout" : end.reason() + " " + end.message() + " status " + end.exitStatus())
                + "\nconsole:\n" + console();
    }

    public static void main(String[] args) throws Exception {
        VmConfig c = VmConfig.defaults(Architecture.X86_64).withKernel(Path.of(args[0]));
        if (args.length > 1) {
            c = c.withVendor(args[1]);
        }
        if (args.length > 2) {
            c = c.withSmp(Integer.parseInt(args[2]));
        }
        GuestRun r = run(c);
        System.out.println(r.describe());
        var t = r.vm.trace();
        long from = Math.max(t.firstSeq(), t.nextSeq() - 30);
        for (long s = from; s < t.nextSeq(); s++) {
            var e = t.get(s);
            System.out.println(e + "  " + e.describe());
        }
    }
}
