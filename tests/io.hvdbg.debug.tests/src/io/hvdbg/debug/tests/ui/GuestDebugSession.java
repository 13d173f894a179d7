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

    /** The exit reason (category) the session stops at. */
    static String stopReason(String arch) {
        return arch.equals("x86_64") ? "HLT" : "WFI";
    }

    static GuestDebugSession start(String arch, Display display) throws Exception {
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
        new ExitReasonBreakpoint(stopReason(arch), "", 0, true);
        Path image = GuestImages.extract(arch + "/demo.elf");
        ILaunchConfigurationWorkingCopy wc = DebugPlugin.getDefault().getLaunchManager()
                .getLaunchConfigurationType(VmLaunchSettings.LAUNCH_TYPE_ID).newInstance(null, arch + " views demo");
        new VmLaunchSettings(arch, image.toString(), 64, 1, "intel").applyTo(wc);
        wc.setAttribute(VmLaunchDelegate.ATTR_STOP_AT_ENTRY, false);
        ILaunchConfiguration config = wc.doSave();
        ILaunch launch = DebugUITools.buildAndLaunch(config, ILaunchManager.DEBUG_MODE, null);
        VmDebugTarget target = assertInstanceOf(VmDebugTarget.class, launch.getDebugTarget());
        spinUntil(display, "the " + stopReason(arch) + " exit breakpoint of the " + arch + " demo",
                () -> target.isSuspended() && target.getThreads().length > 0
                        && target.getThreads()[0].stopText().startsWith("exit "),
                () -> target.getThreads().length > 0 ? target.getThreads()[0].getName() : target.toString());
        return new GuestDebugSession(arch, launch, config, target);
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
