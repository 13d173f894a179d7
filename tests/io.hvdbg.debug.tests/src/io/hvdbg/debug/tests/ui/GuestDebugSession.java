/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.debug.tests.ui;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.eclipse.core.runtime.preferences.InstanceScope;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.ILaunch;
import org.eclipse.debug.core.ILaunchConfiguration;
import org.eclipse.debug.core.ILaunchConfigurationWorkingCopy;
import org.eclipse.debug.core.ILaunchManager;
import org.eclipse.debug.ui.DebugUITools;
import org.eclipse.debug.ui.IDebugUIConstants;
import org.eclipse.swt.widgets.Display;

import io.hvdbg.debug.core.breakpoints.ExitReasonBreakpoint;
import io.hvdbg.debug.core.launch.VmLaunchDelegate;
import io.hvdbg.debug.core.launch.VmLaunchSettings;
import io.hvdbg.debug.core.model.VcpuThread;
import io.hvdbg.debug.core.model.VmDebugTarget;
import io.hvdbg.debug.tests.model.DebugSessions;
import io.hvdbg.guests.GuestImages;

/**
 * A real guest suspended in the workbench, as the hypervisor views see one: the bundled demo
 * guest of an architecture launched in debug mode through the platform (DebugUITools, as in
 * {@link DebugLaunchUiTest}) with an exit breakpoint that stops it after it has taken a few
 * hundred exits: x86 at its first HLT (after CPUID, port I/O, MSR, LAPIC exits), RISC-V at its
 * first WFI (after SBI calls and MMIO faults).
 */
final class GuestDebugSession implements AutoCloseable {
    final String arch;
    final ILaunch launch;
    final ILaunchConfiguration config;
    final VmDebugTarget target;
    final VcpuThread thread;

    private GuestDebugSession(String arch, ILaunch launch, ILaunchConfiguration config, VmDebugTarget target) {
        this.arch = arch;
        this.launch = launch;
        this.config = config;
        this.target = target;
        this.thread = target.getThreads()[0];
    }

    /** A launch whose threads may not be known yet. */
    private record Launched(ILaunch launch, ILaunchConfiguration config, VmDebugTarget target) {
    }

    /** The exit reason (category) the session stops at. */
    static String stopReason(String arch) {
        return arch.equals("x86_64") ? "HLT" : "WFI";
    }

    static GuestDebugSession start(String arch, Display display) throws Exception {
        return start(arch, "intel", display);
    }

    /** The demo guest of an architecture (x86: of a vendor, intel or amd), stopped at its first HLT/WFI exit. */
    static GuestDebugSession start(String arch, String vendor, Display display) throws Exception {
        Launched s = launch(arch, "demo.elf", vendor, true);
        VmDebugTarget target = s.target();
        spinUntil(display, "the " + stopReason(arch) + " exit breakpoint of the " + arch + " demo",
                () -> target.isSuspended() && target.getThreads().length > 0
                        && target.getThreads()[0].stopText().startsWith("exit "),
                () -> target.getThreads().length > 0 ? target.getThreads()[0].getName() : target.toString());
        return new GuestDebugSession(arch, s.launch(), s.config(), target);
    }

    /** A guest image of an architecture launched in debug mode and left running (no breakpoint). */
    static GuestDebugSession startRunning(String arch, String image, Display display) throws Exception {
        Launched s = launch(arch, image, "intel", false);
        VmDebugTarget target = s.target();
        spinUntil(display, arch + "/" + image + " runs in the debugger",
                () -> target.getThreads().length > 0 && !target.isSuspended() && !target.isTerminated(),
                target::toString);
        return new GuestDebugSession(arch, s.launch(), s.config(), target);
    }

    private static Launched launch(String arch, String imageName, String vendor, boolean stopAtExit)
            throws Exception {
        InstanceScope.INSTANCE.getNode(IDebugUIConstants.PLUGIN_ID).put(IDebugUIConstants.PLUGIN_ID
                + ".switch_perspective_on_suspend", "never");
        InstanceScope.INSTANCE.getNode(IDebugUIConstants.PLUGIN_ID).put(IDebugUIConstants.PLUGIN_ID
                + ".switch_to_perspective", "never");
        DebugSessions.removeExitBreakpoints();
        for (ILaunch l : DebugPlugin.getDefault().getLaunchManager().getLaunches()) {
            if (l.isTerminated()) {
                DebugPlugin.getDefault().getLaunchManager().removeLaunch(l);
            }
        }
        if (stopAtExit) {
            new ExitReasonBreakpoint(stopReason(arch), "", 0, true);
        }
        Path image = GuestImages.extract(arch + "/" + imageName);
        ILaunchConfigurationWorkingCopy wc = DebugPlugin.getDefault().getLaunchManager()
                .getLaunchConfigurationType(VmLaunchSettings.LAUNCH_TYPE_ID).newInstance(null, arch + " views " + imageName);
        new VmLaunchSettings(arch, image.toString(), 64, 1, vendor).applyTo(wc);
        wc.setAttribute(VmLaunchDelegate.ATTR_STOP_AT_ENTRY, false);
        ILaunchConfiguration config = wc.doSave();
        ILaunch launch = DebugUITools.buildAndLaunch(config, ILaunchManager.DEBUG_MODE, null);
        VmDebugTarget target = assertInstanceOf(VmDebugTarget.class, launch.getDebugTarget());
        return new Launched(launch, config, target);
    }

    static void spinUntil(Display display, String what, BooleanSupplier condition, Supplier<String> shown) {
        long deadline = System.currentTimeMillis() + DebugSessions.TIMEOUT_MS;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                assertTrue(condition.getAsBoolean(), "timed out waiting for: " + what + "; shown: " + shown.get());
            }
            UiTestSupport.settle(display, 20);
        }
    }

    @Override
    public void close() throws Exception {
        Display display = Display.getCurrent();
        if (!launch.isTerminated()) {
            launch.terminate();
            spinUntil(display, "the launch ends", launch::isTerminated, () -> "");
        }
        // Other tests take the launch manager's first launch as theirs, so the launch goes; but
        // only once its console has written the process's last output (else Debug UI logs
        // "Output Stream is closed").
        UiTestSupport.settle(display, 1000);
        DebugPlugin.getDefault().getLaunchManager().removeLaunch(launch);
        config.delete();
        DebugSessions.removeExitBreakpoints();
    }
}
