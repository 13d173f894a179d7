/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.hvdbg.core.Architecture;
import io.hvdbg.core.VmConfig;
import io.hvdbg.guests.GuestImages;

/**
 * {@code hvdbg demo}: runs the bundled demo guest ({@code images/ARCH/demo.elf} of
 * io.hvdbg.guests) of each architecture, or of {@code --arch}, printing its console and then its
 * VM-exit statistics. Ends with 0 when every demo that ran passed, the failing status otherwise,
 * or {@link ExitCodes#UNAVAILABLE} when no demo could run at all.
 */
final class DemoCommand implements Command {
    @Override
    public int execute(List<String> args, Io io) throws CliException {
        Options o = Options.parse("demo", args, Set.of(), Set.of("--arch"), Set.of(), 0);
        List<Architecture> arches = o.has("--arch")
                ? List.of(Machines.parseArchitecture("demo", o.value("--arch")))
                : List.of(Architecture.values());
        int ran = 0;
        int status = ExitCodes.OK;
        List<String> unavailable = new ArrayList<>();
        for (Architecture arch : arches) {
            String image = Machines.demoImage(arch);
            if (!GuestImages.exists(image)) {
                report(io, arches, unavailable, "demo not yet available for " + arch.cliName()
                        + " (no bundled guest image " + image + ")");
                continue;
            }
            Path kernel;
            try {
                kernel = GuestImages.extract(image);
            } catch (IOException e) {
                throw CliException.failure("cannot extract the demo guest " + image + ": " + e.getMessage());
            }
            // x86 runs once per exit flavour so the VMX and SVM statistics of the same guest, and
            // AMD's TLB flush requests before and after Linux 6.14, show side by side.
            for (Flavour flavour : flavours(arch)) {
                String label = flavour.label().isEmpty() ? "" : " (" + flavour.label() + ")";
                io.out().println("== " + arch.cliName() + " demo: " + image + label + " ==");
                io.out().flush();
                VmConfig config = flavour.apply(VmConfig.defaults(arch).withKernel(kernel));
                int guestStatus;
                try {
                    guestStatus = new GuestRunner(io.out(), io.err(), null).run("demo", config,
                            GuestRunner.Settings.batch(true));
                } catch (CliException e) {
                    if (e.status() != ExitCodes.UNAVAILABLE) {
                        throw e;
                    }
                    report(io, arches, unavailable, e.getMessage());
                    break;
                }
                ran++;
                boolean passed = guestStatus == Machines.passStatus(arch);
                io.out().println("== " + arch.cliName() + label + " guest exited with status " + guestStatus
                        + (passed ? " (pass)" : " (FAIL: a passing demo ends with " + Machines.passStatus(arch) + ")")
                        + " ==");
                io.out().flush();
                if (!passed && status == ExitCodes.OK) {
                    status = guestStatus == ExitCodes.OK ? ExitCodes.FAILURE : guestStatus;
                }
            }
        }
        if (ran == 0) {
            throw CliException.unavailable(unavailable.size() == 1 ? unavailable.get(0)
                    : "no demo guest is available yet in this build");
        }
        return status;
    }

    /** One configuration a demo runs under. */
    private record Flavour(String label, String vendor, String amdCr4PgeFlush) {
        VmConfig apply(VmConfig c) {
            VmConfig out = vendor == null ? c : c.withVendor(vendor);
            return amdCr4PgeFlush == null ? out : out.withOption("amd-cr4-pge-flush", amdCr4PgeFlush);
        }
    }

    /** x86: Intel VMX, AMD SVM as KVM 6.14 flushes, AMD SVM before 6.14 (one more flush request per CR4.PGE toggle); others once. */
    private static List<Flavour> flavours(Architecture arch) {
        return arch == Architecture.X86_64
                ? List.of(new Flavour("Intel VMX exits", "intel", null),
                        new Flavour("AMD SVM exits, KVM 6.14 CR4.PGE flushes", "amd", "6.14"),
                        new Flavour("AMD SVM exits, pre-6.14 CR4.PGE flushes", "amd", "pre-6.14"))
                : List.of(new Flavour("", null, null));
    }

    /** Notes an architecture whose demo cannot run; with one architecture the final error says it. */
    private static void report(Io io, List<Architecture> arches, List<String> unavailable, String message) {
        unavailable.add(message);
        if (arches.size() > 1) {
            io.err().println("hvdbg: " + message);
        }
    }
}
