/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.debug.ui;

import org.eclipse.debug.core.DebugException;
import org.eclipse.debug.core.model.IValue;
import org.eclipse.debug.ui.IDebugModelPresentation;
import org.eclipse.debug.ui.IValueDetailListener;
import org.eclipse.jface.viewers.LabelProvider;
import org.eclipse.swt.graphics.Image;
import org.eclipse.ui.IEditorInput;

import io.hvdbg.debug.core.breakpoints.ExitReasonBreakpoint;
import io.hvdbg.debug.core.model.VcpuThread;
import io.hvdbg.debug.core.model.VmDebugTarget;

/**
 * Labels of hvdbg's debug model in the platform views: exit breakpoints say what they match
 * ({@code Exit CPUID [leaf=7] (hit count 2)}), targets and vCPUs their own names. There are
 * no source editors at the hypervisor level, so no editor input.
 */
public final class HvdbgModelPresentation extends LabelProvider implements IDebugModelPresentation {

    @Override
    public String getText(Object element) {
        if (element instanceof ExitReasonBreakpoint b) {
            return b.describe() + (isEnabled(b) ? "" : " (disabled)");
        }
        if (element instanceof VcpuThread t) {
            return t.getName();
        }
        if (element instanceof VmDebugTarget t) {
            return t.getName();
        }
        return null; // the platform's default label
    }

    private static boolean isEnabled(ExitReasonBreakpoint b) {
        try {
            return b.isEnabled();
        } catch (org.eclipse.core.runtime.CoreException e) {
            return false;
        }
    }

    @Override
    public Image getImage(Object element) {
        if (element instanceof ExitReasonBreakpoint) {
            return HvdbgDebugUI.image(HvdbgDebugUI.IMG_VM);
        }
        return null;
    }

    @Override
    public void setAttribute(String attribute, Object value) {
        // no presentation options
    }

    @Override
    public void computeDetail(IValue value, IValueDetailListener listener) {
        String detail;
        try {
            detail = value.getValueString();
        } catch (DebugException e) {
            detail = e.getMessage();
        }
        listener.detailComputed(value, detail);
    }

    @Override
    public IEditorInput getEditorInput(Object element) {
        return null;
    }

    @Override
    public String getEditorId(IEditorInput input, Object element) {
        return null;
    }
}
