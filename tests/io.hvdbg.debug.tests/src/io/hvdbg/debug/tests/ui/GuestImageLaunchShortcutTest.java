/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.debug.tests.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.util.Arrays;

import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.runtime.Platform;
import org.eclipse.debug.core.ILaunchConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.hvdbg.debug.core.launch.VmLaunchSettings;
import io.hvdbg.debug.ui.launch.GuestImageLaunchShortcut;
import io.hvdbg.guests.GuestImages;

/** Run As / Debug As on a guest image in the workspace: one configuration per image, architecture from the ELF. */
class GuestImageLaunchShortcutTest {
    private IProject project;

    @AfterEach
    void clean() throws Exception {
        if (project != null) {
            for (ILaunchConfiguration c : org.eclipse.debug.core.DebugPlugin.getDefault().getLaunchManager()
                    .getLaunchConfigurations()) {
                if (c.getAttribute(VmLaunchSettings.ATTR_KERNEL, "").contains("/images/")) {
                    c.delete();
                }
            }
            project.delete(true, null);
        }
    }

    @Test
    void createsOneConfigurationPerImageWithTheArchitectureOfTheElf() throws Exception {
        assertTrue(Arrays.stream(Platform.getExtensionRegistry().getConfigurationElementsFor(
                "org.eclipse.debug.ui.launchShortcuts")).anyMatch(e -> "io.hvdbg.debug.ui.shortcut.guestImage"
                        .equals(e.getAttribute("id"))), "the shortcut is contributed");
        project = ResourcesPlugin.getWorkspace().getRoot().getProject("images");
        project.create(null);
        project.open(null);
        IFile x86 = project.getFile("demo.elf");
        x86.create(new ByteArrayInputStream(GuestImages.read("x86_64/demo.elf")), true, null);
        IFile riscv = project.getFile("Image.img");
        riscv.create(new ByteArrayInputStream(GuestImages.read("riscv64/demo.img")), true, null);

        ILaunchConfiguration c = GuestImageLaunchShortcut.configurationFor(x86);
        VmLaunchSettings s = VmLaunchSettings.from(c);
        assertEquals("x86_64", s.architecture());
        assertEquals("${workspace_loc:/images/demo.elf}", s.kernel());
        assertEquals(null, s.validate());
        assertEquals(c, GuestImageLaunchShortcut.configurationFor(x86), "the second time reuses it");

        VmLaunchSettings r = VmLaunchSettings.from(GuestImageLaunchShortcut.configurationFor(riscv));
        assertEquals("riscv64", r.architecture());
        assertEquals("${workspace_loc:/images/Image.img}", r.kernel());
    }
}
