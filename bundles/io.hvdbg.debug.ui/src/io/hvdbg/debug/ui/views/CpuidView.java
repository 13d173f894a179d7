/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.debug.ui.views;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.jface.layout.TreeColumnLayout;
import org.eclipse.jface.viewers.ColumnLabelProvider;
import org.eclipse.jface.viewers.ColumnWeightData;
import org.eclipse.jface.viewers.ITreeContentProvider;
import org.eclipse.jface.viewers.TreeViewer;
import org.eclipse.jface.viewers.TreeViewerColumn;
import org.eclipse.jface.viewers.Viewer;
import org.eclipse.jface.viewers.ViewerFilter;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;

import io.hvdbg.core.inspect.CpuidEntry;
import io.hvdbg.core.inspect.FeatureBit;
import io.hvdbg.core.inspect.FeatureReport;

/**
 * CPUID (x86) / ISA (RISC-V) of the selected vCPU ({@code qHvdbg.features}): for x86 a tree
 * of leaves and subleaves with EAX-EDX in hex, expanding to the decoded feature bits; for
 * RISC-V the base ISA and every extension. Each row has three columns: supported by the
 * core, requested by the guest configuration, effective for this vCPU. A filter box keeps
 * the rows whose name matches (and their parents).
 */
public final class CpuidView extends HvdbgFetchView<CpuidView.Report> {
    public static final String ID = "io.hvdbg.debug.ui.views.cpuid";
    public static final String[] COLUMNS = {"Leaf / register / feature", "Supported", "Requested", "Effective"};
    private static final String[] REGISTERS = {"EAX", "EBX", "ECX", "EDX"};

    /** A row of the tree. */
    public static final class Node {
        final String label;
        final String[] values;
        final List<Node> children = new ArrayList<>();
        Node parent;

        Node(String label, String... values) {
            this.label = label;
            this.values = values;
        }

        Node add(Node child) {
            child.parent = this;
            children.add(child);
            return child;
        }

        public String label() {
            return label;
        }

        public String value(int column) {
            return values[column];
        }

        public List<Node> children() {
            return children;
        }
    }

    /** What one fetch returns. */
    public record Report(int vcpu, String title, List<Node> roots, int bits) {
    }

    private TreeViewer viewer;
    private FilterBox filter;

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
        filter = new FilterBox(c, "feature or leaf, e.g. x2apic, zabha, 0x7", this::filterChanged);
        Composite treeArea = new Composite(c, SWT.NONE);
        treeArea.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true, 2, 1));
        TreeColumnLayout columns = new TreeColumnLayout();
        treeArea.setLayout(columns);
        viewer = new TreeViewer(treeArea, FilterBox.VIEWER_STYLE);
        FilterBox.showHeaderAndLines(viewer);
        viewer.setContentProvider(new ITreeContentProvider() {
            @Override
            public Object[] getElements(Object input) {
                return ((List<?>) input).toArray();
            }

            @Override
            public Object[] getChildren(Object parent) {
                return ((Node) parent).children.toArray();
            }

            @Override
            public Object getParent(Object element) {
                return ((Node) element).parent;
            }

            @Override
            public boolean hasChildren(Object element) {
                return !((Node) element).children.isEmpty();
            }
        });
        int[] weights = {40, 20, 20, 20};
        for (int i = 0; i < COLUMNS.length; i++) {
            TreeViewerColumn col = new TreeViewerColumn(viewer, SWT.LEFT);
            col.getColumn().setText(COLUMNS[i]);
            columns.setColumnData(col.getColumn(), new ColumnWeightData(weights[i], 60));
            final int column = i;
            col.setLabelProvider(new ColumnLabelProvider() {
                @Override
                public String getText(Object element) {
                    Node n = (Node) element;
                    return column == 0 ? n.label : n.values.length >= column ? n.values[column - 1] : "";
                }
            });
        }
        viewer.addFilter(new ViewerFilter() {
            @Override
            public boolean select(Viewer v, Object parent, Object element) {
                return filter.isEmpty() || matches((Node) element) || ancestorMatches((Node) element);
            }
        });
        getSite().setSelectionProvider(viewer);
        return c;
    }

    private boolean matches(Node n) {
        if (filter.matches(n.label)) {
            return true;
        }
        for (Node c : n.children) {
            if (matches(c)) {
                return true;
            }
        }
        return false;
    }

    private boolean ancestorMatches(Node n) {
        for (Node p = n.parent; p != null; p = p.parent) {
            if (filter.matches(p.label)) {
                return true;
            }
        }
        return false;
    }

    /** Keeps the rows whose label contains the text (case-insensitive), their parents and children. */
    public void setFilter(String text) {
        filter.setText(text);
    }

    private void filterChanged() {
        viewer.refresh();
        if (!filter.isEmpty()) {
            viewer.expandAll();
        }
    }

    @Override
    protected Report fetch(DebugContextTarget target, IProgressMonitor monitor) throws IOException {
        int vcpu = target.vcpuOrFirst();
        FeatureReport r = target.target().hvdbg().features(vcpu);
        if (r == null) {
            return new Report(vcpu, null, List.of(), 0);
        }
        return new Report(vcpu, r.title(), tree(r), r.bits().size());
    }

    static String yes(boolean b) {
        return b ? "yes" : "no";
    }

    /** Leaves with registers and bits (x86), or one node per feature group (RISC-V ISA). */
    static List<Node> tree(FeatureReport r) {
        List<Node> roots = new ArrayList<>();
        List<FeatureBit> placed = new ArrayList<>();
        for (CpuidEntry e : r.entries()) {
            Node leaf = new Node(String.format(Locale.ROOT, "leaf 0x%x subleaf 0x%x", e.leaf(), e.subleaf()),
                    regs(e.supported()), regs(e.requested()), regs(e.effective()));
            roots.add(leaf);
            for (int reg = 0; reg < 4; reg++) {
                Node rn = leaf.add(new Node(REGISTERS[reg], hex(e.supported()[reg]), hex(e.requested()[reg]),
                        hex(e.effective()[reg])));
                // word labels: "CPUID 0x7 EBX" for plain leaves, "CPUID 0xd.1 EAX" for subleaves
                String plain = e.subleaf() == 0 ? String.format(Locale.ROOT, "CPUID 0x%x %s", e.leaf(), REGISTERS[reg]) : null;
                String indexed = String.format(Locale.ROOT, "CPUID 0x%x.%d %s", e.leaf(), e.subleaf(), REGISTERS[reg]);
                for (FeatureBit b : r.bits()) {
                    if ((b.group().equals(plain) || b.group().equals(indexed)) && !placed.contains(b)) {
                        rn.add(bitNode(b));
                        placed.add(b);
                    }
                }
            }
        }
        // bits not under a raw entry (RISC-V: all of them), grouped
        java.util.Map<String, Node> groups = new java.util.LinkedHashMap<>();
        for (FeatureBit b : r.bits()) {
            if (!placed.contains(b)) {
                Node g = groups.computeIfAbsent(b.group(), k -> {
                    Node n = new Node(k, "", "", "");
                    roots.add(n);
                    return n;
                });
                g.add(bitNode(b));
            }
        }
        for (Node g : groups.values()) {
            long s = g.children.stream().filter(n -> n.values[0].equals("yes")).count();
            long q = g.children.stream().filter(n -> n.values[1].equals("yes")).count();
            long f = g.children.stream().filter(n -> n.values[2].equals("yes")).count();
            g.values[0] = s + " of " + g.children.size();
            g.values[1] = q + " of " + g.children.size();
            g.values[2] = f + " of " + g.children.size();
        }
        return roots;
    }

    private static Node bitNode(FeatureBit b) {
        String label = b.bit() >= 0 && b.group().startsWith("CPUID") ? "bit " + b.bit() + " " + b.name() : b.name();
        return new Node(label, yes(b.supported()), yes(b.requested()), yes(b.effective()));
    }

    private static String regs(int[] r) {
        return String.format(Locale.ROOT, "%08x %08x %08x %08x", r[0], r[1], r[2], r[3]);
    }

    private static String hex(int v) {
        return String.format(Locale.ROOT, "0x%08x", v);
    }

    @Override
    protected String show(DebugContextTarget target, Report data) {
        viewer.setInput(data.roots());
        if (data.title() == null) {
            return "vCPU " + data.vcpu() + ": the core does not model CPUID / ISA features for this target.";
        }
        if (data.roots().size() <= 3) {
            viewer.expandToLevel(2);
        }
        return data.title() + ": " + data.roots().size() + (data.roots().size() == 1 ? " group, " : " leaves/groups, ")
                + data.bits() + " features";
    }

    @Override
    protected void clear() {
        viewer.setInput(List.of());
    }

    public TreeViewer viewer() {
        return viewer;
    }

    @Override
    public void setFocus() {
        viewer.getControl().setFocus();
    }
}
