/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.debug.ui.views;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.debug.ui.IDebugUIConstants;
import org.eclipse.debug.ui.IDebugView;
import org.eclipse.jface.action.Action;
import org.eclipse.jface.action.MenuManager;
import org.eclipse.jface.viewers.StructuredSelection;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Label;
import org.eclipse.ui.IViewPart;

import io.hvdbg.core.exit.ExitCategory;
import io.hvdbg.core.exit.ExitTrace;
import io.hvdbg.core.exit.VmExit;
import io.hvdbg.debug.core.breakpoints.ExitReasonBreakpoint;
import io.hvdbg.debug.core.model.VcpuThread;
import io.hvdbg.debug.core.model.VmDebugTarget;
import io.hvdbg.debug.ui.trace.LoadedTrace;
import io.hvdbg.debug.ui.trace.TraceInput;
import io.hvdbg.rsp.client.HvdbgExtensions;
import io.hvdbg.rsp.ext.ExitDetail;
import io.hvdbg.rsp.ext.ExitReasonInfo;

/**
 * Exit Timeline: when and why each vCPU exited, one lane per vCPU (see
 * {@link ExitTimelineCanvas}), filter by reason, details of the clicked exit, "Break on this
 * exit reason" on the context menu. The exits come from {@code qHvdbg.exits}, fetched from
 * where the last fetch ended, at every suspend and every second while the VM runs. An opened
 * trace file ({@link TraceInput}: Open KVM Trace..., File > Open File..., a file dropped on
 * the timeline) is shown instead until Close Trace.
 */
public final class ExitTimelineView extends ExitTraceView<ExitTimelineView.Batch> {
    public static final String ID = "io.hvdbg.debug.ui.views.exitTimeline";
    public static final String ALL_REASONS = "All reasons";
    static final int LIVE_PERIOD_MS = 1000;

    /** Exits fetched in one Job, appended to the model on the UI thread. */
    public record Batch(VmDebugTarget target, String[] names, byte[] categories, long[] seq, int[] vcpu, int[] reason,
            long[] time, int count, long nextSeq) {
    }

    private ExitTimelineCanvas canvas;
    private Combo filter;
    private Label details;
    private VmDebugTarget modelTarget;
    private String[] filterReasons = new String[0];
    private Action breakOnReason;
    private boolean live = true;

    @Override
    protected Control createContent(Composite parent) {
        Composite c = new Composite(parent, SWT.NONE);
        GridLayout gl = new GridLayout(3, false);
        gl.marginWidth = 0;
        gl.marginHeight = 0;
        c.setLayout(gl);
        new Label(c, SWT.NONE).setText("Reason:");
        filter = new Combo(c, SWT.READ_ONLY);
        filter.setItems(ALL_REASONS);
        filter.select(0);
        filter.setLayoutData(new GridData(SWT.LEFT, SWT.CENTER, false, false));
        filter.addListener(SWT.Selection, e -> applyFilter());
        Button fit = new Button(c, SWT.PUSH);
        fit.setText("Zoom to Fit");
        fit.addListener(SWT.Selection, e -> canvas.zoomToFit());
        canvas = new ExitTimelineCanvas(c);
        canvas.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true, 3, 1));
        details = new Label(c, SWT.WRAP);
        details.setLayoutData(new GridData(SWT.FILL, SWT.BOTTOM, true, false, 3, 1));
        details.setText("Click an exit for its details; wheel zooms, drag pans.");
        canvas.setSelectionListener(this::exitSelected);

        breakOnReason = new Action("Break on this exit reason") {
            @Override
            public void run() {
                breakOnSelectedReason();
            }
        };
        MenuManager menu = new MenuManager();
        menu.setRemoveAllWhenShown(true);
        menu.addMenuListener(m -> {
            breakOnReason.setEnabled(selectedReason() != null);
            m.add(breakOnReason);
        });
        canvas.setMenu(menu.createContextMenu(canvas));
        canvas.addListener(SWT.MenuDetect, e -> {
            org.eclipse.swt.graphics.Point p = canvas.toControl(e.x, e.y);
            int[] hit = canvas.exitAt(p.x, p.y);
            if (hit != null) {
                canvas.select(hit[0], hit[1]);
            }
        });
        scheduleLivePoll(c.getDisplay());
        followTraceFiles(canvas);
        return c;
    }

    @Override
    public void showTrace(LoadedTrace t) {
        if (canvas == null || canvas.isDisposed()) {
            return;
        }
        setShownTrace(t);
        modelTarget = null;
        if (t == null) {
            setTitleToolTip(null);
            clear();
            refresh();
            return;
        }
        setModel(t.timeline());
        setTitleToolTip(t.file().toString());
        details.setText("Click an exit for its details; wheel zooms, drag pans.");
        setHeader(summary("trace " + t.name()) + " \u2014 " + t.summary(), t.file() + "\n" + t.malformedDetails());
        refresh(); // drops results of fetches still running
    }


    /** The debug target whose exits are shown (null when a trace file is shown or nothing is). */
    public VmDebugTarget shownTarget() {
        return trace() == null ? modelTarget : null;
    }

    private void scheduleLivePoll(Display display) {
        display.timerExec(LIVE_PERIOD_MS, () -> {
            if (canvas.isDisposed()) {
                return;
            }
            DebugContextTarget ctx = context();
            if (live && ctx != null && !isFetching() && ctx.target().hasHypervisorFeatures()
                    && !ctx.target().isSuspended() && !ctx.target().isTerminated()) {
                refresh();
            }
            scheduleLivePoll(display);
        });
    }

    /** Whether the view polls while the VM runs (on by default). */
    public void setLive(boolean on) {
        live = on;
    }

    @Override
    protected Batch fetch(DebugContextTarget target, IProgressMonitor monitor) throws IOException {
        HvdbgExtensions h = target.target().hvdbg();
        List<ExitReasonInfo> reasons = h.reasons();
        int max = 0;
        for (ExitReasonInfo r : reasons) {
            max = Math.max(max, r.id() + 1);
        }
        String[] names = new String[max];
        byte[] cats = new byte[max];
        Arrays.fill(cats, (byte) ExitCategory.OTHER.ordinal());
        for (ExitReasonInfo r : reasons) {
            names[r.id()] = r.name();
            cats[r.id()] = (byte) categoryOrdinal(r.category());
        }
        TimelineModel current = canvas.model();
        long from = current != null && modelTarget == target.target() ? current.nextSeq() : 0;
        long[][] longs = {new long[4096], new long[4096]};
        int[][] ints = {new int[4096], new int[4096]};
        int[] n = {0};
        long next = h.fetchExits(from, Long.MAX_VALUE, (seq, vcpu, reasonId, time, dur, pc, q, i2, ctx) -> {
            int i = n[0];
            if (i == longs[0].length) {
                int size = i * 2;
                longs[0] = Arrays.copyOf(longs[0], size);
                longs[1] = Arrays.copyOf(longs[1], size);
                ints[0] = Arrays.copyOf(ints[0], size);
                ints[1] = Arrays.copyOf(ints[1], size);
            }
            longs[0][i] = seq;
            longs[1][i] = time;
            ints[0][i] = vcpu;
            ints[1][i] = reasonId;
            n[0] = i + 1;
            return !monitor.isCanceled();
        });
        return new Batch(target.target(), names, cats, longs[0], ints[0], ints[1], longs[1], n[0], next);
    }

    static int categoryOrdinal(String category) {
        try {
            return ExitCategory.valueOf(category).ordinal();
        } catch (IllegalArgumentException e) {
            return ExitCategory.OTHER.ordinal();
        }
    }

    @Override
    protected String show(DebugContextTarget target, Batch b) {
        TimelineModel m = canvas.model();
        boolean fresh = m == null || modelTarget != b.target() || m.reasonCount() < b.names().length;
        if (fresh) {
            m = new TimelineModel(b.names(), b.categories());
            modelTarget = b.target();
        }
        for (int i = 0; i < b.count(); i++) {
            m.add(b.seq()[i], b.vcpu()[i], b.reason()[i], b.time()[i]);
        }
        m.setNextSeq(Math.max(m.nextSeq(), b.nextSeq()));
        if (fresh) {
            setModel(m);
        } else {
            boolean following = canvas.viewEnd() >= m.maxTime() - (canvas.viewEnd() - canvas.viewStart()) / 50;
            m.index();
            updateFilterItems();
            if (b.count() > 0 && following) {
                canvas.zoomToFit();
            } else {
                canvas.redraw();
            }
        }
        return summary(target.target().getName());
    }

    /** Shows a model directly (benchmarks, traces loaded from files). */
    public void setModel(TimelineModel m) {
        m.index();
        canvas.setModel(m);
        updateFilterItems();
        applyFilter();
        canvas.getParent().layout(true, true);
    }

    /** Shows a model that did not come from a debug target (a loaded or synthetic trace). */
    public void showModel(TimelineModel m, String name) {
        setModel(m);
        setHeader(summary(name));
    }

    private String summary(String name) {
        TimelineModel m = canvas.model();
        return "Exit timeline of " + name + ": " + m.count() + " exits, " + m.lanes().length + " vCPU lane"
                + (m.lanes().length == 1 ? "" : "s");
    }

    private void updateFilterItems() {
        TimelineModel m = canvas.model();
        TreeMap<String, Boolean> present = new TreeMap<>();
        boolean[] seen = new boolean[m.reasonCount()];
        for (TimelineModel.Lane l : m.lanes()) {
            for (int i = 0; i < l.size(); i++) {
                seen[l.reason(i)] = true;
            }
        }
        for (int r = 0; r < seen.length; r++) {
            if (seen[r]) {
                present.put(m.reasonName(r), true);
            }
        }
        String[] names = present.keySet().toArray(String[]::new);
        if (!Arrays.equals(names, filterReasons)) {
            String selected = filter.getText();
            filterReasons = names;
            String[] items = new String[names.length + 1];
            items[0] = ALL_REASONS;
            System.arraycopy(names, 0, items, 1, names.length);
            filter.setItems(items);
            int index = Arrays.asList(items).indexOf(selected);
            filter.select(Math.max(0, index));
            filter.getParent().layout(true, true);
        }
    }

    /** Shows only the exits of one reason (its native name), or all ({@link #ALL_REASONS}). */
    public void setFilter(String reasonName) {
        int index = Arrays.asList(filter.getItems()).indexOf(reasonName);
        if (index < 0) {
            throw new IllegalArgumentException("no exits of reason " + reasonName + " in the timeline");
        }
        filter.select(index);
        applyFilter();
    }

    private void applyFilter() {
        TimelineModel m = canvas.model();
        if (m == null) {
            return;
        }
        int index = filter.getSelectionIndex();
        if (index <= 0) {
            m.setFilter(null);
        } else {
            String name = filter.getItem(index);
            boolean[] shown = new boolean[m.reasonCount()];
            for (int r = 0; r < shown.length; r++) {
                shown[r] = name.equals(m.reasonName(r));
            }
            m.setFilter(shown);
        }
        canvas.redraw();
    }

    private String selectedReason() {
        TimelineModel m = canvas.model();
        int lane = canvas.selectedLane();
        if (m == null || lane < 0 || canvas.selectedIndex() < 0) {
            return null;
        }
        return m.reasonName(m.lanes()[lane].reason(canvas.selectedIndex()));
    }

    /** Creates an exit-reason breakpoint on the selected exit's reason; returns it (null: nothing selected). */
    public ExitReasonBreakpoint breakOnSelectedReason() {
        String reason = selectedReason();
        if (reason == null) {
            return null;
        }
        try {
            return new ExitReasonBreakpoint(reason, "", 0, true);
        } catch (CoreException e) {
            details.setText("Could not add an exit breakpoint on " + reason + ": " + e.getStatus().getMessage());
            return null;
        }
    }

    private void exitSelected(int[] sel) {
        TimelineModel m = canvas.model();
        if (m == null || sel[0] < 0) {
            details.setText("");
            return;
        }
        TimelineModel.Lane lane = m.lanes()[sel[0]];
        int r = lane.reason(sel[1]);
        long seq = lane.seq(sel[1]);
        String base = "Exit #" + seq + " on vCPU " + lane.vcpu() + ": " + m.reasonName(r) + " (" + m.category(r)
                + ") at " + ExitTimelineCanvas.formatTime(lane.time(sel[1]));
        details.setText(base);
        if (trace() != null) {
            VmExit e = trace().trace().get(seq);
            if (e != null) {
                String d = e.describe();
                details.setText(base + String.format(" pc 0x%x, duration %d ns", e.pc(), e.durationNs())
                        + (d == null || d.isEmpty() || d.equals(e.reason().name()) ? "" : "\n" + d));
            }
        }
        details.getParent().layout(true, true);
        VmDebugTarget t = modelTarget;
        if (t != null && t.hasHypervisorFeatures() && !t.isTerminated()) {
            selectVcpuInDebugView(t, lane.vcpu());
            Display display = details.getDisplay();
            Job job = new Job("Exit Timeline: reading exit #" + seq) {
                @Override
                protected IStatus run(IProgressMonitor monitor) {
                    try {
                        ExitDetail d = t.hvdbg().exit(seq);
                        String text = base + String.format(" pc 0x%x, duration %d ns", d.pc(), d.durationNs())
                                + (d.description() == null || d.description().isEmpty() ? "" : "\n" + d.description())
                                + encodings(d);
                        display.asyncExec(() -> {
                            if (!details.isDisposed() && details.getText().startsWith(base)) {
                                details.setText(text);
                                details.getParent().layout(true, true);
                            }
                        });
                    } catch (IOException | RuntimeException e) {
                        // the exit left the ring, or the VM went away: the summary stays
                    }
                    return Status.OK_STATUS;
                }
            };
            job.setSystem(true);
            job.schedule();
        }
    }

    private static String encodings(ExitDetail d) {
        List<String> parts = new ArrayList<>();
        for (io.hvdbg.core.exit.NativeEncoding e : d.encodings()) {
            parts.add(e.source() + " " + e.name() + " (0x" + Long.toHexString(e.code()) + ")");
        }
        return parts.isEmpty() ? "" : "\nencodings: " + String.join(", ", parts);
    }

    private void selectVcpuInDebugView(VmDebugTarget t, int vcpu) {
        IViewPart v = getSite().getPage().findView(IDebugUIConstants.ID_DEBUG_VIEW);
        if (v instanceof IDebugView dv && dv.getViewer() != null) {
            for (VcpuThread thread : t.getThreads()) {
                if (thread.vcpu() == vcpu) {
                    dv.getViewer().setSelection(new StructuredSelection(thread), true);
                    return;
                }
            }
        }
    }

    @Override
    protected void clear() {
        modelTarget = null;
        canvas.setModel(new TimelineModel(new String[0], new byte[0]));
        details.setText("");
    }

    /** A model of the exits an {@link ExitTrace} holds, with the core's reason registry. */
    public static TimelineModel modelOf(ExitTrace trace) {
        return TimelineModel.of(trace);
    }

    public ExitTimelineCanvas canvas() {
        return canvas;
    }

    public String detailsText() {
        return details.getText();
    }

    public List<String> filterItems() {
        return List.of(filter.getItems());
    }

    @Override
    public void setFocus() {
        canvas.setFocus();
    }
}
