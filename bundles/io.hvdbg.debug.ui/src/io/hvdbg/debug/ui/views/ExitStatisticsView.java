/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.debug.ui.views;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.jface.layout.TableColumnLayout;
import org.eclipse.jface.viewers.ArrayContentProvider;
import org.eclipse.jface.viewers.ColumnLabelProvider;
import org.eclipse.jface.viewers.ColumnWeightData;
import org.eclipse.jface.viewers.TableViewer;
import org.eclipse.jface.viewers.TableViewerColumn;
import org.eclipse.jface.viewers.Viewer;
import org.eclipse.jface.viewers.ViewerComparator;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableColumn;
import org.eclipse.swt.widgets.TableItem;

import io.hvdbg.core.exit.ExitStatistics;
import io.hvdbg.debug.ui.trace.LoadedTrace;
import io.hvdbg.debug.ui.trace.TraceInput;
import io.hvdbg.rsp.client.HvdbgExtensions;
import io.hvdbg.rsp.ext.ExitReasonInfo;
import io.hvdbg.rsp.ext.ExitStatRow;

/**
 * Exit Statistics: the table of {@code perf kvm stat report} (event, samples, samples %,
 * time %, min, max, average) for the whole VM or one vCPU, sortable by any column, with a bar
 * of each event's share of the samples. Works while the VM runs ({@code qHvdbg.stats}). An
 * opened trace file ({@link TraceInput}) is shown instead until Close Trace.
 */
public final class ExitStatisticsView extends ExitTraceView<ExitStatisticsView.Table> {
    public static final String ID = "io.hvdbg.debug.ui.views.exitStatistics";
    public static final String[] COLUMNS = {"VM-EXIT", "Category", "Samples", "Samples%", "Time%", "Min Time",
            "Max Time", "Avg time", "Share"};
    private static final int BAR_COLUMN = 8;

    /** One event row. */
    public record Row(String event, String category, long samples, long totalNs, long minNs, long maxNs,
            double samplesPercent, double timePercent) {
        public double averageNs() {
            return samples == 0 ? 0 : (double) totalNs / samples;
        }
    }

    /** What one fetch returns. */
    public record Table(int vcpu, int vcpuCount, List<Row> rows, long totalSamples) {
    }

    private TableViewer viewer;
    private Combo scope;
    private int scopeVcpu = -1;
    private int sortColumn = 2;
    private boolean sortDescending = true;
    private Color barColor;

    @Override
    protected Control createContent(Composite parent) {
        Composite c = new Composite(parent, SWT.NONE);
        GridLayout gl = new GridLayout(2, false);
        gl.marginWidth = 0;
        gl.marginHeight = 0;
        c.setLayout(gl);
        new Label(c, SWT.NONE).setText("Scope:");
        scope = new Combo(c, SWT.READ_ONLY);
        scope.setItems("VM (all vCPUs)");
        scope.select(0);
        scope.addListener(SWT.Selection, e -> {
            scopeVcpu = scope.getSelectionIndex() - 1;
            if (trace() != null) {
                showTraceTable();
            } else {
                refresh();
            }
        });
        Composite tableArea = new Composite(c, SWT.NONE);
        tableArea.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true, 2, 1));
        TableColumnLayout columns = new TableColumnLayout();
        tableArea.setLayout(columns);
        viewer = new TableViewer(tableArea, SWT.FULL_SELECTION | SWT.MULTI | SWT.H_SCROLL | SWT.V_SCROLL | SWT.BORDER);
        org.eclipse.swt.widgets.Table table = viewer.getTable();
        table.setHeaderVisible(true);
        table.setLinesVisible(true);
        viewer.setContentProvider(ArrayContentProvider.getInstance());
        int[] weights = {26, 12, 8, 8, 8, 9, 9, 9, 14};
        for (int i = 0; i < COLUMNS.length; i++) {
            TableViewerColumn col = new TableViewerColumn(viewer, i < 2 || i == BAR_COLUMN ? SWT.LEFT : SWT.RIGHT);
            col.getColumn().setText(COLUMNS[i]);
            columns.setColumnData(col.getColumn(), new ColumnWeightData(weights[i], 50));
            final int column = i;
            col.setLabelProvider(new ColumnLabelProvider() {
                @Override
                public String getText(Object element) {
                    return cell((Row) element, column);
                }
            });
            col.getColumn().addListener(SWT.Selection, e -> sortBy(column));
        }
        viewer.setComparator(new ViewerComparator() {
            @Override
            public int compare(Viewer v, Object a, Object b) {
                int r = comparator(sortColumn).compare((Row) a, (Row) b);
                return sortDescending ? -r : r;
            }
        });
        barColor = new Color(table.getDisplay(), 0x3b, 0x7d, 0xd8);
        table.addListener(SWT.EraseItem, this::eraseBar);
        table.addListener(SWT.PaintItem, this::paintBar);
        updateSortIndicator();
        getSite().setSelectionProvider(viewer);
        followTraceFiles(table);
        return c;
    }

    /** Shows an opened trace file's statistics, or (null) follows the debug context again. UI thread. */
    @Override
    public void showTrace(LoadedTrace t) {
        if (viewer == null || viewer.getControl().isDisposed()) {
            return;
        }
        setShownTrace(t);
        if (t == null) {
            setTitleToolTip(null);
            clear();
            refresh();
            return;
        }
        setTitleToolTip(t.file().toString());
        showTraceTable();
        refresh(); // drops results of fetches still running
    }

    private void showTraceTable() {
        LoadedTrace t = trace();
        int vcpu = scopeVcpu >= t.vcpus() ? -1 : scopeVcpu;
        List<Row> rows = new ArrayList<>();
        long samples = 0;
        for (ExitStatistics.Row r : t.statistics().report(vcpu)) {
            rows.add(new Row(r.reason().name(), r.reason().category().name(), r.samples(), r.totalNs(), r.minNs(),
                    r.maxNs(), r.samplesPercent(), r.timePercent()));
            samples += r.samples();
        }
        Table data = new Table(vcpu, t.vcpus(), rows, samples);
        updateScope(data);
        viewer.setInput(rows);
        setHeader(header(data, "trace " + t.name()) + " \u2014 " + t.summary(), t.file() + "\n" + t.malformedDetails());
    }

    /** Sorts by a column; the same column again reverses the order. */
    public void sortBy(int column) {
        if (column == sortColumn) {
            sortDescending = !sortDescending;
        } else {
            sortColumn = column;
            sortDescending = column >= 2;
        }
        updateSortIndicator();
        viewer.refresh();
    }

    private void updateSortIndicator() {
        org.eclipse.swt.widgets.Table t = viewer.getTable();
        t.setSortColumn(t.getColumn(sortColumn));
        t.setSortDirection(sortDescending ? SWT.DOWN : SWT.UP);
    }

    static Comparator<Row> comparator(int column) {
        return switch (column) {
            case 0 -> Comparator.comparing(Row::event);
            case 1 -> Comparator.comparing(Row::category);
            case 3, 8, 2 -> Comparator.comparingLong(Row::samples);
            case 4 -> Comparator.comparingLong(Row::totalNs);
            case 5 -> Comparator.comparingLong(Row::minNs);
            case 6 -> Comparator.comparingLong(Row::maxNs);
            default -> Comparator.comparingDouble(Row::averageNs);
        };
    }

    /** Shows the table of the whole VM (-1) or of one vCPU. */
    public void setScope(int vcpu) {
        scopeVcpu = vcpu;
        if (vcpu + 1 < scope.getItemCount()) {
            scope.select(vcpu + 1);
        }
        if (trace() != null) {
            showTraceTable();
        } else {
            refresh();
        }
    }

    static String cell(Row r, int column) {
        return switch (column) {
            case 0 -> r.event();
            case 1 -> r.category();
            case 2 -> Long.toString(r.samples());
            case 3 -> String.format(Locale.ROOT, "%.2f%%", r.samplesPercent());
            case 4 -> String.format(Locale.ROOT, "%.2f%%", r.timePercent());
            case 5 -> micros(r.minNs());
            case 6 -> micros(r.maxNs());
            case 7 -> micros(r.averageNs());
            default -> "";
        };
    }

    /** Durations as perf kvm stat prints them. */
    static String micros(double ns) {
        return String.format(Locale.ROOT, "%.2fus", ns / 1000.0);
    }

    private void eraseBar(Event e) {
        if (e.index == BAR_COLUMN) {
            e.detail &= ~SWT.FOREGROUND;
        }
    }

    private void paintBar(Event e) {
        if (e.index != BAR_COLUMN || !(e.item.getData() instanceof Row r)) {
            return;
        }
        TableColumn col = ((TableItem) e.item).getParent().getColumn(BAR_COLUMN);
        int width = Math.max(0, col.getWidth() - 8);
        int w = (int) Math.round(width * r.samplesPercent() / 100.0);
        GC gc = e.gc;
        Color old = gc.getBackground();
        gc.setBackground(barColor);
        gc.fillRectangle(e.x + 3, e.y + 3, Math.max(w, r.samples() > 0 ? 1 : 0), e.height - 6);
        gc.setBackground(old);
    }

    @Override
    protected Table fetch(DebugContextTarget target, IProgressMonitor monitor) throws IOException {
        HvdbgExtensions h = target.target().hvdbg();
        int vcpu = scopeVcpuFor(h.vcpuCount());
        List<ExitStatRow> stats = h.statistics(vcpu);
        return table(vcpu, h.vcpuCount(), stats, h);
    }

    private int scopeVcpuFor(int count) {
        int v = scopeVcpu;
        return v >= count ? -1 : v;
    }

    static Table table(int vcpu, int vcpuCount, List<ExitStatRow> stats, HvdbgExtensions h) throws IOException {
        long samples = 0;
        long time = 0;
        for (ExitStatRow s : stats) {
            samples += s.samples();
            time += s.totalNs();
        }
        List<Row> rows = new ArrayList<>();
        for (ExitStatRow s : stats) {
            if (s.samples() == 0) {
                continue;
            }
            ExitReasonInfo reason = h.reason(s.reasonId());
            rows.add(new Row(reason.name(), reason.category(), s.samples(), s.totalNs(), s.minNs(), s.maxNs(),
                    samples == 0 ? 0 : 100.0 * s.samples() / samples, time == 0 ? 0 : 100.0 * s.totalNs() / time));
        }
        return new Table(vcpu, vcpuCount, rows, samples);
    }

    @Override
    protected String show(DebugContextTarget target, Table data) {
        updateScope(data);
        viewer.setInput(data.rows());
        return header(data, target.target().getName());
    }

    private static String header(Table data, String source) {
        return "Exit statistics of " + (data.vcpu() < 0 ? "the VM" : "vCPU " + data.vcpu()) + " (" + source + "): "
                + data.rows().size() + " events, " + data.totalSamples() + " samples";
    }

    private void updateScope(Table data) {
        if (scope.getItemCount() != data.vcpuCount() + 1) {
            String[] items = new String[data.vcpuCount() + 1];
            items[0] = "VM (all vCPUs)";
            for (int i = 0; i < data.vcpuCount(); i++) {
                items[i + 1] = "vCPU " + i;
            }
            scope.setItems(items);
        }
        scope.select(data.vcpu() + 1);
    }

    @Override
    protected void clear() {
        viewer.setInput(List.of());
    }

    public TableViewer viewer() {
        return viewer;
    }

    @Override
    public void setFocus() {
        viewer.getControl().setFocus();
    }


    @Override
    public void dispose() {
        if (barColor != null) {
            barColor.dispose();
        }
        super.dispose();
    }
}
