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

/** The launch configuration tabs: Main with its validation messages, then Common. */
class VmMainTabTest {
    @TempDir
    Path dir;

    @Test
    void tabGroupHasMainThenCommon() {
        VmTabGroup group = new VmTabGroup();
        group.createTabs(null, "run");
        ILaunchConfigurationTab[] tabs = group.getTabs();
        assertEquals(2, tabs.length);
        assertEquals("Main", tabs[0].getName());
        assertEquals("Common", tabs[1].getName());
        group.dispose();
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
