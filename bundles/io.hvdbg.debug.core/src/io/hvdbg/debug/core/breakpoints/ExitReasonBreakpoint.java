/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.debug.core.breakpoints;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import org.eclipse.core.resources.IMarker;
import org.eclipse.core.resources.IWorkspaceRoot;
import org.eclipse.core.resources.IWorkspaceRunnable;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.model.Breakpoint;
import org.eclipse.debug.core.model.IBreakpoint;

import io.hvdbg.core.debug.ExitCondition;
import io.hvdbg.core.exit.ExitCategory;
import io.hvdbg.debug.core.HvdbgDebugCore;
import io.hvdbg.debug.core.model.HvdbgDebugElement;

/**
 * A breakpoint on a kind of VM exit: the reason (an arch-neutral category such as
 * {@code CPUID}, a vendor-native name such as {@code EXIT_REASON_MSR_READ}, or {@code any}),
 * an optional condition in {@link ExitCondition}'s syntax ({@code port=0x3f8-0x3ff},
 * {@code msr=0x1b}, {@code leaf=7}, {@code gpa=0xfee00000-0xfee00fff}, {@code ext=TIME}) and
 * a hit count (0: stop at every hit; N: the first stop is at the Nth hit). Persisted as a
 * workspace-root marker, so it survives restarts and shows in the Breakpoints view; installed
 * in each hvdbg target through the stub's exit-breakpoint packets.
 */
public class ExitReasonBreakpoint extends Breakpoint {
    /** Marker type (plugin.xml), a persistent subtype of the debug breakpoint marker. */
    public static final String MARKER_TYPE = HvdbgDebugCore.PLUGIN_ID + ".exitBreakpointMarker";
    public static final String ATTR_REASON = HvdbgDebugCore.PLUGIN_ID + ".exitReason";
    public static final String ATTR_CONDITION = HvdbgDebugCore.PLUGIN_ID + ".exitCondition";
    public static final String ATTR_HIT_COUNT = HvdbgDebugCore.PLUGIN_ID + ".hitCount";

    /** For the breakpoint manager, which restores breakpoints from their markers. */
    public ExitReasonBreakpoint() {
    }

    /**
     * Creates the breakpoint (and its marker) and, if {@code register}, adds it to the
     * breakpoint manager.
     *
     * @throws CoreException with {@link #validate}'s message if a value is bad
     */
    public ExitReasonBreakpoint(String reason, String condition, int hitCount, boolean register) throws CoreException {
        String problem = validate(reason, condition, hitCount);
        if (problem != null) {
            throw HvdbgDebugCore.coreException(problem);
        }
        IWorkspaceRoot root = ResourcesPlugin.getWorkspace().getRoot();
        String r = normalizeReason(reason);
        String c = condition == null ? "" : condition.trim();
        IWorkspaceRunnable create = monitor -> {
            IMarker m = root.createMarker(MARKER_TYPE);
            setMarker(m);
            Map<String, Object> a = new HashMap<>();
            a.put(IBreakpoint.ENABLED, Boolean.TRUE);
            a.put(IBreakpoint.ID, getModelIdentifier());
            a.put(IBreakpoint.PERSISTED, Boolean.TRUE);
            a.put(ATTR_REASON, r);
            a.put(ATTR_CONDITION, c);
            a.put(ATTR_HIT_COUNT, hitCount);
            a.put(IMarker.MESSAGE, describe(r, c, hitCount));
            m.setAttributes(a);
        };
        run(getMarkerRule(root), create);
        if (register) {
            DebugPlugin.getDefault().getBreakpointManager().addBreakpoint(this);
        }
    }

    /**
     * What is wrong with the values, as the dialog and launch tab show it; null if nothing.
     * The reason is checked for form here; whether the target knows it is the stub's answer.
     */
    public static String validate(String reason, String condition, int hitCount) {
        String r = reason == null ? "" : reason.trim();
        if (r.isEmpty()) {
            return "Choose the exit reason: a category (" + categories() + "), a native exit name or 'any'.";
        }
        if (!r.matches("[A-Za-z0-9_]+")) {
            return "Exit reason '" + r + "' is not a name (letters, digits and '_', e.g. CPUID or EXIT_REASON_MSR_READ).";
        }
        if (condition != null && !condition.isBlank()) {
            try {
                ExitCondition.parse(condition);
            } catch (IllegalArgumentException e) {
                return "Condition: " + e.getMessage() + ".";
            }
        }
        if (hitCount < 0) {
            return "Hit count must be 0 (every hit) or more, not " + hitCount + ".";
        }
        return null;
    }

    private static String categories() {
        StringBuilder sb = new StringBuilder();
        for (ExitCategory c : ExitCategory.values()) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(c.name());
        }
        return sb.toString();
    }

    /** Categories are matched by their upper-case names; native names are kept as typed. */
    static String normalizeReason(String reason) {
        String r = reason.trim();
        String upper = r.toUpperCase(Locale.ROOT);
        if (upper.equals("ANY")) {
            return "any";
        }
        for (ExitCategory c : ExitCategory.values()) {
            if (c.name().equals(upper)) {
                return upper;
            }
        }
        return r;
    }

    static String describe(String reason, String condition, int hitCount) {
        return "Exit " + reason + (condition.isEmpty() ? "" : " [" + condition + "]")
                + (hitCount > 0 ? " (hit count " + hitCount + ")" : "");
    }

    /** The label of the Breakpoints view, e.g. {@code Exit CPUID [leaf=7] (hit count 2)}. */
    public String describe() {
        try {
            return describe(getReason(), getCondition(), getHitCount());
        } catch (CoreException e) {
            return "Exit breakpoint";
        }
    }

    @Override
    public String getModelIdentifier() {
        return HvdbgDebugElement.MODEL_ID;
    }

    public String getReason() throws CoreException {
        return ensureMarker().getAttribute(ATTR_REASON, "any");
    }

    public String getCondition() throws CoreException {
        return ensureMarker().getAttribute(ATTR_CONDITION, "");
    }

    public int getHitCount() throws CoreException {
        return ensureMarker().getAttribute(ATTR_HIT_COUNT, 0);
    }

    /** Changes reason, condition and hit count together (validated); targets reinstall it. */
    public void update(String reason, String condition, int hitCount) throws CoreException {
        String problem = validate(reason, condition, hitCount);
        if (problem != null) {
            throw HvdbgDebugCore.coreException(problem);
        }
        String r = normalizeReason(reason);
        String c = condition == null ? "" : condition.trim();
        setAttributes(new String[] {ATTR_REASON, ATTR_CONDITION, ATTR_HIT_COUNT, IMarker.MESSAGE},
                new Object[] {r, c, hitCount, describe(r, c, hitCount)});
    }
}
