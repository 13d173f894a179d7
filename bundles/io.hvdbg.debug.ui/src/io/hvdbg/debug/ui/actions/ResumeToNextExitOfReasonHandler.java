/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.debug.ui.actions;

import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.ui.handlers.HandlerUtil;

import io.hvdbg.debug.core.model.VcpuThread;

/**
 * "Resume to Next Exit of This Reason": runs until the selected vCPU takes another exit of
 * the reason it stopped at (or took last), e.g. the next EXIT_REASON_IO_INSTRUCTION.
 */
public final class ResumeToNextExitOfReasonHandler extends AbstractHandler {
    public static final String COMMAND_ID = "io.hvdbg.debug.ui.commands.resumeToNextExitOfReason";

    @Override
    public Object execute(ExecutionEvent event) {
        VcpuThread t = DebugSelection.thread(HandlerUtil.getCurrentSelection(event));
        if (t == null) {
            t = DebugSelection.current();
        }
        if (t != null && t.getDebugTarget().canStepToExit() && t.lastExitReason() != null) {
            t.stepToExit(t.lastExitReason());
        }
        return null;
    }

    @Override
    public void setEnabled(Object evaluationContext) {
        VcpuThread t = DebugSelection.current();
        setBaseEnabled(t != null && t.getDebugTarget().canStepToExit() && t.lastExitReason() != null);
    }
}
