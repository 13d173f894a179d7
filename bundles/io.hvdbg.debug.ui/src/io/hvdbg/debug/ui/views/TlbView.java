/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.debug.ui.views;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToLongFunction;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.jface.layout.TableColumnLayout;
import org.eclipse.jface.viewers.ArrayContentProvider;
import org.eclipse.jface.viewers.ColumnLabelProvider;
import org.eclipse.jface.viewers.ColumnWeightData;
import org.eclipse.jface.viewers.TableViewer;
import org.eclipse.jface.viewers.TableViewerColumn;
import org.eclipse.jface.viewers.Viewer;
import org.eclipse.jface.viewers.ViewerComparator;
import org.eclipse.jface.viewers.ViewerFilter;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.SashForm;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;

import io.hvdbg.core.tlb.FlushRecord;
import io.hvdbg.core.tlb.TlbEntry;
import io.hvdbg.rsp.ext.TlbSnapshot;

/**
 * TLB of the selected vCPU ({@code qHvdbg.tlb}): counters (hits, misses, flushes and
 * hypervisor requests by cause) and the model's properties (e.g. the AMD CR4.PGE elision
 * switch, Svvptc), the cached translations (VA, guest-physical, host-physical where it
 * differs, page size, ASID/PCID, VPID/VMID, global, permissions, A/D) and the flush history
 * with causes. Entries and history can be filtered and sorted by any column.
 */
public final class TlbView extends HvdbgFetchView<TlbView.Data> {
    public static final String ID = "io.hvdbg.debug.ui.views.tlb";
    public static final String[] ENTRY_COLUMNS = {"VA", "Guest-physical", "Host-physical", "Page size", "ASID/PCID",
            "VPID/VMID", "G", "Perms", "A/D"};
    public static final String[] HISTORY_COLUMNS = {"Time", "vCPU", "Cause", "Scope", "Address", "Requested", "Entries"};
    static final int HISTORY = 256;

    /** What one fetch returns. */
    public record Data(int vcpu, TlbSnapshot snapshot) {
    }

    private record Column<T>(String name, Function<T, String> text, ToLongFunction<T> key) {
    }

    private Label counters;
    private FilterBox filter;
    private TableViewer entries;
    private TableViewer history;

    @Override
    protected boolean needsSuspendedTarget() {
        return true;
    }

    @Override
    protected Control createContent(Composite parent) {
        Composite c = new Composite(parent, SWT.NONE);
        GridLayout gl = new GridLayout(2, false);
        gl.marginWidth = 0;
        gl.marginHeight = 0;
        c.setLayout(gl);
        counters = new Label(c, SWT.WRAP);
        counters.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false, 2, 1));
        filter = new FilterBox(c, "address, cause, permissions \u2026", () -> {
            entries.refresh();
            history.refresh();
        });
        SashForm sash = new SashForm(c, SWT.VERTICAL);
        sash.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true, 2, 1));
        List<Column<TlbEntry>> ec = List.of(
                new Column<TlbEntry>("VA", e -> hex(e.va()), TlbEntry::va),
                new Column<TlbEntry>("Guest-physical", e -> hex(e.gpa()), TlbEntry::gpa),
                new Column<TlbEntry>("Host-physical", e -> e.hpa() < 0 || e.hpa() == e.gpa() ? "" : hex(e.hpa()), TlbEntry::hpa),
                new Column<TlbEntry>("Page size", e -> size(e.pageSize()), TlbEntry::pageSize),
                new Column<TlbEntry>("ASID/PCID", e -> e.asid() < 0 ? "" : Integer.toString(e.asid()), TlbEntry::asid),
                new Column<TlbEntry>("VPID/VMID", e -> e.vmid() < 0 ? "" : Integer.toString(e.vmid()), TlbEntry::vmid),
                new Column<TlbEntry>("G", e -> e.global() ? "G" : "", e -> e.global() ? 1 : 0),
                new Column<TlbEntry>("Perms", TlbEntry::permissions, e -> e.permissions().hashCode()),
                new Column<TlbEntry>("A/D", e -> (e.accessed() ? "A" : "-") + (e.dirty() ? "D" : "-"),
                        e -> (e.accessed() ? 2 : 0) + (e.dirty() ? 1 : 0)));
        entries = table(sash, ec);
        List<Column<FlushRecord>> hc = List.of(
                new Column<FlushRecord>("Time", f -> ExitTimelineCanvas.formatTime(f.time()), FlushRecord::time),
                new Column<FlushRecord>("vCPU", f -> Integer.toString(f.vcpu()), FlushRecord::vcpu),
                new Column<FlushRecord>("Cause", FlushRecord::cause, f -> f.cause().hashCode()),
                new Column<FlushRecord>("Scope", FlushRecord::scope, f -> f.scope().hashCode()),
                new Column<FlushRecord>("Address", f -> f.address() == 0 ? "" : hex(f.address()), FlushRecord::address),
                new Column<FlushRecord>("Requested", f -> f.request() ? "hypervisor" : "guest", f -> f.request() ? 1 : 0),
                new Column<FlushRecord>("Entries", f -> Integer.toString(f.entries()), FlushRecord::entries));
        history = table(sash, hc);
        sash.setWeights(60, 40);
        getSite().setSelectionProvider(entries);
        return c;
    }

    private <T> TableViewer table(Composite parent, List<Column<T>> cols) {
        Composite area = new Composite(parent, SWT.NONE);
        TableColumnLayout layout = new TableColumnLayout();
        area.setLayout(layout);
        TableViewer v = new TableViewer(area, FilterBox.VIEWER_STYLE);
        FilterBox.showHeaderAndLines(v);
        v.setContentProvider(ArrayContentProvider.getInstance());
        int[] sort = {-1, 1};
        for (int i = 0; i < cols.size(); i++) {
            Column<T> col = cols.get(i);
            TableViewerColumn tc = new TableViewerColumn(v, SWT.LEFT);
            tc.getColumn().setText(col.name());
            layout.setColumnData(tc.getColumn(), new ColumnWeightData(10, 50));
            tc.setLabelProvider(new ColumnLabelProvider() {
                @SuppressWarnings("unchecked")
                @Override
                public String getText(Object element) {
                    return col.text().apply((T) element);
                }
            });
            final int index = i;
            tc.getColumn().addListener(SWT.Selection, e -> {
                sort[1] = sort[0] == index ? -sort[1] : 1;
                sort[0] = index;
                v.getTable().setSortColumn(tc.getColumn());
                v.getTable().setSortDirection(sort[1] > 0 ? SWT.UP : SWT.DOWN);
                v.refresh();
            });
        }
        v.setComparator(new ViewerComparator() {
            @SuppressWarnings("unchecked")
            @Override
            public int compare(Viewer viewer, Object a, Object b) {
                if (sort[0] < 0) {
                    return 0;
                }
                ToLongFunction<T> key = cols.get(sort[0]).key();
                return sort[1] * Long.compareUnsigned(key.applyAsLong((T) a), key.applyAsLong((T) b));
            }
        });
        v.addFilter(new ViewerFilter() {
            @SuppressWarnings("unchecked")
            @Override
            public boolean select(Viewer viewer, Object parent, Object element) {
                if (filter.isEmpty()) {
                    return true;
                }
                for (Column<T> c : cols) {
                    if (filter.matches(c.text().apply((T) element))) {
                        return true;
                    }
                }
                return false;
            }
        });
        return v;
    }

    /** Keeps the entries and flushes with a cell containing the text. */
    public void setFilter(String text) {
        filter.setText(text);
    }

    static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    static String size(long bytes) {
        if (bytes >= 1L << 30 && bytes % (1L << 30) == 0) {
            return (bytes >> 30) + " GiB";
        }
        if (bytes >= 1L << 20 && bytes % (1L << 20) == 0) {
            return (bytes >> 20) + " MiB";
        }
        return (bytes >> 10) + " KiB";
    }

    @Override
    protected Data fetch(DebugContextTarget target, IProgressMonitor monitor) throws IOException {
        int vcpu = target.vcpuOrFirst();
        return new Data(vcpu, target.target().hvdbg().tlb(vcpu, HISTORY));
    }

    /** The counters line: hits, misses, flushes and requests by cause, properties. */
    static String counters(TlbSnapshot s) {
        StringBuilder b = new StringBuilder();
        long lookups = s.hits() + s.misses();
        b.append(String.format(Locale.ROOT, "hits %d, misses %d (hit rate %.1f%%)", s.hits(), s.misses(),
                lookups == 0 ? 0.0 : 100.0 * s.hits() / lookups));
        b.append("\nflushes by cause: ").append(causes(s.flushesByCause()));
        b.append("\nhypervisor requests by cause: ").append(causes(s.requestsByCause()));
        if (!s.properties().isEmpty()) {
            List<String> p = new ArrayList<>();
            s.properties().forEach((k, v) -> p.add(k + ": " + v));
            b.append("\n").append(String.join(", ", p));
        }
        return b.toString();
    }

    private static String causes(Map<String, Long> m) {
        if (m.isEmpty()) {
            return "none";
        }
        List<String> p = new ArrayList<>();
        m.forEach((k, v) -> p.add(k + " " + v));
        return String.join(", ", p);
    }

    @Override
    protected String show(DebugContextTarget target, Data data) {
        TlbSnapshot s = data.snapshot();
        if (s == null) {
            counters.setText("");
            entries.setInput(List.of());
            history.setInput(List.of());
            return "vCPU " + data.vcpu() + ": the core does not model a TLB for this target.";
        }
        counters.setText(counters(s));
        entries.setInput(s.entries());
        history.setInput(s.history());
        counters.getParent().layout(true, true);
        return "TLB of vCPU " + data.vcpu() + " (" + target.target().getName() + "): " + s.entries().size()
                + " entries, " + s.history().size() + " recent flushes";
    }

    @Override
    protected void clear() {
        counters.setText("");
        entries.setInput(List.of());
        history.setInput(List.of());
    }

    public String countersText() {
        return counters.getText();
    }

    public TableViewer entries() {
        return entries;
    }

    public TableViewer history() {
        return history;
    }

    @Override
    public void setFocus() {
        entries.getControl().setFocus();
    }
}
