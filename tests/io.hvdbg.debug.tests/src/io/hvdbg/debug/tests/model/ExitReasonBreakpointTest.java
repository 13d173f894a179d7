/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.debug.tests.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.eclipse.core.resources.IMarker;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.IBreakpointManager;
import org.eclipse.debug.core.model.IBreakpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.hvdbg.debug.core.breakpoints.ExitReasonBreakpoint;
import io.hvdbg.debug.core.model.HvdbgDebugElement;

/** Exit-reason breakpoints as workspace breakpoints: persisted markers the breakpoint manager knows. */
class ExitReasonBreakpointTest {
    @AfterEach
    void clean() throws Exception {
        DebugSessions.removeExitBreakpoints();
    }

    @Test
    void isAPersistedMarkerOfItsOwnTypeWithReasonConditionAndHitCount() throws Exception {
        ExitReasonBreakpoint b = new ExitReasonBreakpoint("io", "port=0x3f8-0x3ff", 2, true);
        IMarker m = b.getMarker();
        assertEquals(ExitReasonBreakpoint.MARKER_TYPE, m.getType());
        assertTrue(m.isSubtypeOf(IBreakpoint.BREAKPOINT_MARKER));
        assertSame(ResourcesPlugin.getWorkspace().getRoot(), m.getResource());
        assertTrue(b.isPersisted());
        assertTrue(b.isEnabled());
        assertEquals("IO", b.getReason(), "categories are stored by their names");
        assertEquals("port=0x3f8-0x3ff", b.getCondition());
        assertEquals(2, b.getHitCount());
        assertEquals("Exit IO [port=0x3f8-0x3ff] (hit count 2)", m.getAttribute(IMarker.MESSAGE, ""));
        assertEquals(HvdbgDebugElement.MODEL_ID, b.getModelIdentifier());

        IBreakpointManager bpm = DebugPlugin.getDefault().getBreakpointManager();
        assertSame(b, bpm.getBreakpoint(m));
        assertTrue(java.util.List.of(bpm.getBreakpoints(HvdbgDebugElement.MODEL_ID)).contains(b));

        b.update("EXIT_REASON_MSR_READ", "msr=0x1b", 0);
        assertEquals("EXIT_REASON_MSR_READ", b.getReason());
        assertEquals("Exit EXIT_REASON_MSR_READ [msr=0x1b]", m.getAttribute(IMarker.MESSAGE, ""));
        b.setEnabled(false);
        assertEquals(false, m.getAttribute(IBreakpoint.ENABLED, true));
    }
}
