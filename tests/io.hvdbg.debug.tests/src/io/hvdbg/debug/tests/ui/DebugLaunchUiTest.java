/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.debug.tests.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.eclipse.core.runtime.preferences.InstanceScope;
import org.eclipse.debug.core.DebugEvent;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.ILaunch;
import org.eclipse.debug.core.ILaunchConfiguration;
import org.eclipse.debug.core.ILaunchConfigurationWorkingCopy;
import org.eclipse.debug.core.ILaunchManager;
import org.eclipse.debug.ui.AbstractDebugView;
import org.eclipse.debug.ui.DebugUITools;
import org.eclipse.debug.ui.IDebugUIConstants;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Tree;
import org.eclipse.swt.widgets.TreeItem;
import org.eclipse.ui.IViewPart;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.IWorkbenchWindow;
import org.eclipse.jface.bindings.Binding;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.handlers.IHandlerService;
import org.eclipse.ui.keys.IBindingService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.hvdbg.debug.core.breakpoints.ExitReasonBreakpoint;
import io.hvdbg.debug.core.launch.VmLaunchDelegate;
import io.hvdbg.debug.core.launch.VmLaunchSettings;
import io.hvdbg.debug.core.model.VcpuStackFrame;
import io.hvdbg.debug.core.model.VcpuThread;
import io.hvdbg.debug.core.model.VmDebugTarget;
import io.hvdbg.debug.tests.model.DebugSessions;
import io.hvdbg.debug.ui.HvdbgDebugUI;
import io.hvdbg.debug.ui.actions.ResumeToNextExitOfReasonHandler;
import io.hvdbg.debug.ui.actions.StepToNextExitHandler;
import io.hvdbg.guests.GuestImages;

/**
 * In the real workbench: a saved "hvdbg Virtual Machine" configuration launched in debug mode
 * through the platform (DebugUITools), the x86 demo guest hits a CPUID exit breakpoint, and
 * the Debug view shows the vCPU with the exit, the Registers view its register groups and the
 * Breakpoints view the exit breakpoint. A PNG of the window goes to target/screenshots/.
 */
class DebugLaunchUiTest {
    private ILaunch launch;
    private ILaunchConfiguration config;

    @AfterEach
    void tearDown() throws Exception {
        Display display = Display.getCurrent();
        if (launch != null && !launch.isTerminated()) {
            launch.terminate();
            spinUntil(display, "terminated", launch::isTerminated);
        }
        if (config != null) {
            config.delete();
        }
        DebugSessions.removeExitBreakpoints();
    }

    private static void spinUntil(Display display, String what, BooleanSupplier condition) {
        spinUntil(display, what, condition, () -> "");
    }

    private static void spinUntil(Display display, String what, BooleanSupplier condition,
            java.util.function.Supplier<String> shown) {
        long deadline = System.currentTimeMillis() + DebugSessions.TIMEOUT_MS;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                assertTrue(condition.getAsBoolean(), "timed out waiting for: " + what + "; shown: " + shown.get());
            }
            UiTestSupport.settle(display, 20);
        }
    }

    private static void collect(Control c, List<String> texts) {
        if (c instanceof Tree t) {
            for (TreeItem i : t.getItems()) {
                collect(i, texts);
            }
        }
        if (c instanceof Composite k) {
            for (Control child : k.getChildren()) {
                collect(child, texts);
            }
        }
    }

    private static void collect(TreeItem item, List<String> texts) {
        texts.add(item.getText());
        for (TreeItem i : item.getItems()) {
            collect(i, texts);
        }
    }

    /** The Value column of a register row the Registers view shows, or "" if not shown (yet). */
    private static String valueShown(IViewPart view, String name) {
        Tree tree = (Tree) ((AbstractDebugView) view).getViewer().getControl();
        for (TreeItem group : tree.getItems()) {
            for (TreeItem r : group.getItems()) {
                if (name.equals(r.getText(0))) {
                    return r.getText(1);
                }
            }
        }
        return "";
    }

    /** The labels a platform debug view (Debug, Breakpoints, Registers) shows in its tree. */
    private static List<String> treeTexts(IViewPart view) {
        List<String> texts = new ArrayList<>();
        collect(((AbstractDebugView) view).getViewer().getControl(), texts);
        return texts;
    }

    @Test
    void debugLaunchHitsAnExitBreakpointAndShowsDebugRegistersAndBreakpointsViews() throws Exception {
        IWorkbenchWindow window = PlatformUI.getWorkbench().getActiveWorkbenchWindow();
        Display display = window.getShell().getDisplay();
        window.getShell().setBounds(0, 0, 1280, 960);
        // No "switch perspective?" prompts in a test.
        InstanceScope.INSTANCE.getNode(IDebugUIConstants.PLUGIN_ID).put(IDebugUIConstants.PLUGIN_ID
                + ".switch_perspective_on_suspend", "never");
        InstanceScope.INSTANCE.getNode(IDebugUIConstants.PLUGIN_ID).put(IDebugUIConstants.PLUGIN_ID
                + ".switch_to_perspective", "never");
        PlatformUI.getWorkbench().showPerspective(HvdbgDebugUI.PERSPECTIVE_ID, window);
        IWorkbenchPage page = window.getActivePage();
        page.resetPerspective();
        UiTestSupport.settle(display, 300);

        DebugSessions.removeExitBreakpoints();
        new ExitReasonBreakpoint("CPUID", "", 0, true);
        Path image = GuestImages.extract("x86_64/demo.elf");
        ILaunchConfigurationWorkingCopy wc = DebugPlugin.getDefault().getLaunchManager()
                .getLaunchConfigurationType(VmLaunchSettings.LAUNCH_TYPE_ID).newInstance(null, "x86 demo");
        new VmLaunchSettings("x86_64", image.toString(), 64, 1, "intel").applyTo(wc);
        wc.setAttribute(VmLaunchDelegate.ATTR_STOP_AT_ENTRY, false);
        config = wc.doSave();

        DebugUITools.launch(config, ILaunchManager.DEBUG_MODE);
        spinUntil(display, "the launch", () -> DebugPlugin.getDefault().getLaunchManager().getLaunches().length > 0
                && DebugPlugin.getDefault().getLaunchManager().getLaunches()[0].getDebugTarget() != null);
        launch = DebugPlugin.getDefault().getLaunchManager().getLaunches()[0];
        VmDebugTarget target = assertInstanceOf(VmDebugTarget.class, launch.getDebugTarget());
        spinUntil(display, "the CPUID exit breakpoint",
                () -> target.isSuspended() && target.getThreads().length > 0
                        && target.getThreads()[0].stopText().startsWith("exit CPUID"));
        VcpuThread thread = target.getThreads()[0];

        IViewPart debugView = page.showView(IDebugUIConstants.ID_DEBUG_VIEW);
        IViewPart breakpointsView = page.showView(IDebugUIConstants.ID_BREAKPOINT_VIEW);
        IViewPart registersView = page.showView(IDebugUIConstants.ID_REGISTER_VIEW);
        assertNotNull(debugView);
        assertNotNull(breakpointsView);
        assertNotNull(registersView);
        // The Debug view selects the vCPU's frame when it suspends at a breakpoint; make sure it did.
        spinUntil(display, "the frame as debug context", () -> DebugUITools.getDebugContext() instanceof VcpuStackFrame);
        page.activate(debugView);

        String vcpuLabel = thread.getName();
        assertTrue(vcpuLabel.startsWith("vCPU 0 \u2014 suspended: exit CPUID leaf 0x"), vcpuLabel);
        spinUntil(display, "the vCPU in the Debug view", () -> treeTexts(debugView).stream()
                .anyMatch(s -> s.contains("vCPU 0 \u2014 suspended: exit CPUID leaf 0x")),
                () -> treeTexts(debugView).toString());
        page.activate(breakpointsView);
        spinUntil(display, "the exit breakpoint in the Breakpoints view", () -> treeTexts(breakpointsView).stream()
                .anyMatch(s -> s.equals("Exit CPUID")), () -> treeTexts(breakpointsView).toString());
        page.activate(registersView);
        spinUntil(display, "the register groups in the Registers view", () -> treeTexts(registersView)
                .containsAll(List.of("General", "Segment", "Control/System", "MSR")),
                () -> treeTexts(registersView).toString());
        // Open the General group: the registers' values are read from the stub (off the UI thread).
        ((org.eclipse.jface.viewers.AbstractTreeViewer) ((AbstractDebugView) registersView).getViewer()).expandToLevel(2);
        spinUntil(display, "the value of rax in the General group",
                () -> valueShown(registersView, "rax").matches("0x[0-9a-f]{16}"),
                () -> treeTexts(registersView) + " rax=" + valueShown(registersView, "rax"));
        page.activate(debugView);

        Path png = UiTestSupport.screenshot(window.getShell(), "debug-exit-breakpoint.png");
        assertTrue(Files.size(png) > 20_000, "a real screenshot of the window: " + Files.size(png));

        // The commands, as the toolbar buttons and keys run them, on the selected vCPU.
        IBindingService bindings = window.getService(IBindingService.class);
        assertTrue(keysOf(bindings, StepToNextExitHandler.COMMAND_ID).contains("Shift+F5"),
                keysOf(bindings, StepToNextExitHandler.COMMAND_ID).toString());
        assertTrue(keysOf(bindings, ResumeToNextExitOfReasonHandler.COMMAND_ID).contains("Shift+F8"));
        IHandlerService handlers = window.getService(IHandlerService.class);
        try (DebugSessions.SuspendRecorder events = new DebugSessions.SuspendRecorder()) {
            int before = events.count();
            handlers.executeCommand(StepToNextExitHandler.COMMAND_ID, null);
            spinUntil(display, "the next VM exit", () -> events.count() > before && target.isSuspended());
            assertEquals(DebugEvent.STEP_END, events.lastDetail());
            assertTrue(thread.stopText().startsWith("exit "), thread.getName());
            String reason = thread.lastExitReason();
            spinUntil(display, "the frame as debug context again",
                    () -> DebugUITools.getDebugContext() instanceof VcpuStackFrame);
            int next = events.count();
            handlers.executeCommand(ResumeToNextExitOfReasonHandler.COMMAND_ID, null);
            spinUntil(display, "the next exit of " + reason, () -> events.count() > next && target.isSuspended());
            assertEquals(reason, thread.lastExitReason(), thread.getName());
        }

        launch.terminate();
        spinUntil(display, "the launch ends", launch::isTerminated);
    }

    private static List<String> keysOf(IBindingService bindings, String commandId) {
        List<String> keys = new ArrayList<>();
        for (Binding b : bindings.getBindings()) {
            if (b.getParameterizedCommand() != null && commandId.equals(b.getParameterizedCommand().getId())) {
                keys.add(b.getTriggerSequence().format());
            }
        }
        return keys;
    }
}
