/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.debug.tests.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.ILaunchConfigurationWorkingCopy;
import org.eclipse.debug.ui.ILaunchConfigurationTab;
import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Shell;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.hvdbg.debug.core.launch.VmLaunchSettings;
import io.hvdbg.debug.ui.launch.VmMainTab;
import io.hvdbg.debug.ui.launch.VmTabGroup;
import io.hvdbg.debug.ui.launch.RemoteStubTab;
import io.hvdbg.debug.ui.launch.VmDebugTab;
import io.hvdbg.debug.ui.launch.VmOptionsTab;
import io.hvdbg.debug.core.launch.VmLaunchDelegate;
import io.hvdbg.debug.core.launch.VmOptions;
import io.hvdbg.debug.core.launch.RemoteStubSettings;

/** The launch configuration tabs: Main with its validation messages, Debug, then Common; the remote stub's tab. */
class VmMainTabTest {
    @TempDir
    Path dir;

    @Test
    void tabGroupHasMainOptionsDebugThenCommon() {
        VmTabGroup group = new VmTabGroup();
        group.createTabs(null, "run");
        ILaunchConfigurationTab[] tabs = group.getTabs();
        assertEquals(4, tabs.length);
        assertEquals("Main", tabs[0].getName());
        assertEquals("Options", tabs[1].getName());
        assertEquals("Debug", tabs[2].getName());
        assertEquals("Common", tabs[3].getName());
        group.dispose();
    }

    @Test
    void optionsAndDebugTabsValidateWithMessages() throws Exception {
        Shell shell = new Shell(Display.getCurrent());
        shell.setLayout(new FillLayout());
        VmOptionsTab options = new VmOptionsTab();
        VmDebugTab debug = new VmDebugTab();
        try {
            options.createControl(shell);
            debug.createControl(shell);
            ILaunchConfigurationWorkingCopy wc = DebugPlugin.getDefault().getLaunchManager()
                    .getLaunchConfigurationType(VmLaunchSettings.LAUNCH_TYPE_ID).newInstance(null, "options-tab");
            options.setDefaults(wc);
            debug.setDefaults(wc);
            options.initializeFrom(wc);
            debug.initializeFrom(wc);
            assertTrue(options.isValid(wc), options.getErrorMessage());
            assertTrue(debug.isValid(wc), debug.getErrorMessage());

            wc.setAttribute(VmOptions.ATTR_ISA, "rv64imac_zabha");
            assertFalse(options.isValid(wc), "x86_64 is the default architecture");
            assertEquals("ISA extensions apply to riscv64 guests only; clear them for x86_64.", options.getErrorMessage());
            wc.setAttribute(VmLaunchSettings.ATTR_ARCH, "riscv64");
            assertTrue(options.isValid(wc), options.getErrorMessage());
            wc.setAttribute(VmOptions.ATTR_ISA, "x86-64-v2");
            assertFalse(options.isValid(wc));
            assertEquals("ISA must be an RV64 ISA string such as rv64imafdc_zba_zabha, not 'x86-64-v2'.",
                    options.getErrorMessage());
            wc.setAttribute(VmOptions.ATTR_ISA, "");
            wc.setAttribute(VmOptions.ATTR_TDX, true);
            assertFalse(options.isValid(wc));
            assertEquals("TDX guest mode applies to x86_64 guests only.", options.getErrorMessage());

            wc.setAttribute(VmLaunchDelegate.ATTR_EXIT_BREAKPOINTS, java.util.List.of("CPUID leaf=7", "IO port=0x3f8-"));
            assertFalse(debug.isValid(wc));
            assertTrue(debug.getErrorMessage().startsWith("Exit breakpoint 'IO port=0x3f8-': Condition: "),
                    debug.getErrorMessage());
            wc.setAttribute(VmLaunchDelegate.ATTR_EXIT_BREAKPOINTS, java.util.List.of("CPUID leaf=7", "IO port=0x3f8-0x3ff"));
            wc.setAttribute(VmLaunchDelegate.ATTR_SYMBOLS, dir.resolve("missing.elf").toString());
            assertFalse(debug.isValid(wc));
            assertEquals("Symbol file " + dir.resolve("missing.elf") + " does not exist or is not readable.",
                    debug.getErrorMessage());
            wc.setAttribute(VmLaunchDelegate.ATTR_SYMBOLS, "");
            assertTrue(debug.isValid(wc), debug.getErrorMessage());
            debug.initializeFrom(wc);
            ILaunchConfigurationWorkingCopy copy = wc.copy("options-copy");
            debug.performApply(copy);
            assertEquals(java.util.List.of("CPUID leaf=7", "IO port=0x3f8-0x3ff"),
                    copy.getAttribute(VmLaunchDelegate.ATTR_EXIT_BREAKPOINTS, java.util.List.<String>of()));
        } finally {
            options.dispose();
            debug.dispose();
            shell.dispose();
        }
    }

    @Test
    void remoteStubTabValidatesHostPortAndArchitecture() throws Exception {
        Shell shell = new Shell(Display.getCurrent());
        shell.setLayout(new FillLayout());
        RemoteStubTab tab = new RemoteStubTab();
        try {
            tab.createControl(shell);
            ILaunchConfigurationWorkingCopy wc = DebugPlugin.getDefault().getLaunchManager()
                    .getLaunchConfigurationType(RemoteStubSettings.LAUNCH_TYPE_ID).newInstance(null, "remote-tab");
            tab.setDefaults(wc);
            tab.initializeFrom(wc);
            assertTrue(tab.isValid(wc), "the defaults are QEMU's -s: " + tab.getErrorMessage());
            assertEquals(RemoteStubSettings.defaults(), RemoteStubSettings.from(wc));

            wc.setAttribute(RemoteStubSettings.ATTR_PORT, 0);
            assertFalse(tab.isValid(wc));
            assertEquals("Port must be 1-65535, not 0.", tab.getErrorMessage());
            wc.setAttribute(RemoteStubSettings.ATTR_PORT, 1234);
            wc.setAttribute(RemoteStubSettings.ATTR_HOST, "");
            assertFalse(tab.isValid(wc));
            assertTrue(tab.getErrorMessage().startsWith("Enter the host"), tab.getErrorMessage());
            wc.setAttribute(RemoteStubSettings.ATTR_HOST, "localhost");
            wc.setAttribute(RemoteStubSettings.ATTR_ARCH, "sparc");
            assertFalse(tab.isValid(wc));
            assertEquals("Architecture must be auto, x86_64 or riscv64, not 'sparc'.", tab.getErrorMessage());

            // A port typed as text is named in the message, not thrown.
            wc.setAttribute(RemoteStubSettings.ATTR_ARCH, "riscv64");
            tab.initializeFrom(wc);
            findText(shell, "1234").setText("12x4");
            assertFalse(tab.isValid(wc));
            assertEquals("Port '12x4' is not a number.", tab.getErrorMessage());
        } finally {
            tab.dispose();
            shell.dispose();
        }
    }

    private static org.eclipse.swt.widgets.Text findText(org.eclipse.swt.widgets.Composite c, String text) {
        for (org.eclipse.swt.widgets.Control k : c.getChildren()) {
            if (k instanceof org.eclipse.swt.widgets.Text t && t.getText().equals(text)) {
                return t;
            }
            if (k instanceof org.eclipse.swt.widgets.Composite cc) {
                org.eclipse.swt.widgets.Text t = findText(cc, text);
                if (t != null) {
                    return t;
                }
            }
        }
        return null;
    }

    @Test
    void mainTabShowsAndValidatesTheMachine() throws Exception {
        Shell shell = new Shell(Display.getCurrent());
        shell.setLayout(new FillLayout());
        VmMainTab tab = new VmMainTab();
        try {
            tab.createControl(shell);
            ILaunchConfigurationWorkingCopy wc = DebugPlugin.getDefault().getLaunchManager()
                    .getLaunchConfigurationType(VmLaunchSettings.LAUNCH_TYPE_ID).newInstance(null, "tab");
            tab.setDefaults(wc);
            tab.initializeFrom(wc);
            assertFalse(tab.isValid(wc), "a new configuration has no guest image");
            assertTrue(tab.getErrorMessage().startsWith("Choose the guest image"), tab.getErrorMessage());

            wc.setAttribute(VmLaunchSettings.ATTR_KERNEL, dir.resolve("absent.elf").toString());
            assertFalse(tab.isValid(wc));
            assertEquals("Guest image " + dir.resolve("absent.elf") + " does not exist.", tab.getErrorMessage());

            Path k = dir.resolve("guest.elf");
            Files.write(k, new byte[] {0x7f, 'E', 'L', 'F'});
            wc.setAttribute(VmLaunchSettings.ATTR_KERNEL, k.toString());
            wc.setAttribute(VmLaunchSettings.ATTR_VCPUS, 300);
            assertFalse(tab.isValid(wc));
            assertEquals("vCPUs must be 1-255, not 300.", tab.getErrorMessage());

            wc.setAttribute(VmLaunchSettings.ATTR_VCPUS, 2);
            wc.setAttribute(VmLaunchSettings.ATTR_ARCH, "riscv64");
            wc.setAttribute(VmLaunchSettings.ATTR_MEMORY_MIB, 256);
            assertTrue(tab.isValid(wc), tab.getErrorMessage());
            assertNull(tab.getErrorMessage());

            // What the widgets show is what the tab applies.
            tab.initializeFrom(wc);
            ILaunchConfigurationWorkingCopy copy = wc.copy("tab-copy");
            tab.performApply(copy);
            assertEquals(VmLaunchSettings.from(wc), VmLaunchSettings.from(copy));
        } finally {
            tab.dispose();
            shell.dispose();
        }
    }
}
