/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.debug.ui.launch;

import java.io.IOException;
import java.io.InputStream;

import org.eclipse.core.resources.IFile;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IAdaptable;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.ILaunchConfiguration;
import org.eclipse.debug.core.ILaunchConfigurationType;
import org.eclipse.debug.core.ILaunchConfigurationWorkingCopy;
import org.eclipse.debug.core.ILaunchManager;
import org.eclipse.debug.ui.DebugUITools;
import org.eclipse.debug.ui.ILaunchShortcut;
import org.eclipse.jface.dialogs.ErrorDialog;
import org.eclipse.jface.viewers.ISelection;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.ui.IEditorPart;
import org.eclipse.ui.PlatformUI;

import io.hvdbg.core.Architecture;
import io.hvdbg.core.loader.ElfImage;
import io.hvdbg.debug.core.launch.VmLaunchSettings;

/**
 * "Run As / Debug As > hvdbg Virtual Machine" on a guest image in the workspace: reuses the
 * configuration that boots that file, or creates one with the architecture read from the ELF
 * header (a non-ELF image is taken as a RISC-V Linux Image).
 */
public final class GuestImageLaunchShortcut implements ILaunchShortcut {

    @Override
    public void launch(ISelection selection, String mode) {
        if (selection instanceof IStructuredSelection s && s.getFirstElement() instanceof IAdaptable a) {
            IFile file = a.getAdapter(IFile.class);
            if (file != null) {
                try {
                    DebugUITools.launch(configurationFor(file), mode);
                } catch (CoreException e) {
                    ErrorDialog.openError(PlatformUI.getWorkbench().getActiveWorkbenchWindow().getShell(),
                            "hvdbg Virtual Machine", null, e.getStatus());
                }
            }
        }
    }

    @Override
    public void launch(IEditorPart editor, String mode) {
        // guest images are not edited in text editors
    }

    /** The workspace-relative kernel attribute of a file. */
    static String kernelOf(IFile file) {
        return "${workspace_loc:" + file.getFullPath().toString() + "}";
    }

    /** The existing configuration booting this file, or a new saved one. */
    public static ILaunchConfiguration configurationFor(IFile file) throws CoreException {
        ILaunchManager m = DebugPlugin.getDefault().getLaunchManager();
        ILaunchConfigurationType type = m.getLaunchConfigurationType(VmLaunchSettings.LAUNCH_TYPE_ID);
        String kernel = kernelOf(file);
        for (ILaunchConfiguration c : m.getLaunchConfigurations(type)) {
            if (kernel.equals(c.getAttribute(VmLaunchSettings.ATTR_KERNEL, ""))) {
                return c;
            }
        }
        ILaunchConfigurationWorkingCopy wc = type.newInstance(null, m.generateLaunchConfigurationName(file.getName()));
        VmLaunchSettings d = VmLaunchSettings.defaults();
        new VmLaunchSettings(architectureOf(file).cliName(), kernel, d.memoryMiB(), d.vcpus(), d.vendor()).applyTo(wc);
        wc.setMappedResources(new org.eclipse.core.resources.IResource[] {file});
        return wc.doSave();
    }

    /** x86_64 for EM_X86_64/EM_386 ELF files, riscv64 for EM_RISCV and for anything else (Linux Image). */
    static Architecture architectureOf(IFile file) throws CoreException {
        byte[] head = new byte[20];
        int n = 0;
        try (InputStream in = file.getContents()) {
            n = in.readNBytes(head, 0, head.length);
        } catch (IOException e) {
            return Architecture.RISCV64;
        }
        if (n >= 20 && ElfImage.isElf(head)) {
            int machine = (head[18] & 0xff) | (head[19] & 0xff) << 8;
            if (machine == ElfImage.EM_X86_64 || machine == ElfImage.EM_386) {
                return Architecture.X86_64;
            }
        }
        return Architecture.RISCV64;
    }
}
