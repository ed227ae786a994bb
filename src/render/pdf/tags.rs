//! The structure tree of a tagged PDF (ISO 32000-1, 14.7–14.8): what a screen reader reads and
//! in which order, built from the laid-out document — each run of text carries the [`Mark`] of
//! the block or table cell it belongs to, and [`PagedDocument::blocks`] says what each block is.
//! The content streams wrap the runs of one mark in a marked-content sequence with an MCID
//! (see `write.rs`); here those sequences become the leaves of the tree:
//!
//! Document ─ H1 (the title), P (its date), P (preface), H2 (a section heading), P …,
//! Table ─ TR ─ TH / TD (header cells with an /ID and a /Scope, every cell with the /Headers
//! that a screen reader reads before it, as the web page's `headers`), P (the 落款's name and date).
//!
//! Page numbers, table borders and a table header repeated on a new page are artifacts: they are
//! drawn but not read.

use crate::render::paged::{BlockKind, Mark, PagedDocument};
use crate::spec::format::{CellRole, GridCell, TableGrid, TableId};
use lopdf::{Dictionary, Object, ObjectId, StringFormat};
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, OnceLock};

/// Most kids one array of the tree holds (PDF/A-1's limit on an array is 8,191 elements): a
/// document of more blocks than this is grouped into `Div`s.
const MAX_KIDS: usize = 8000;

/// The structure type of the text of `mark`: what the marked-content sequence is tagged with.
pub fn role(paged: &PagedDocument, mark: Mark) -> &'static str {
    match mark {
        Mark::Artifact => "Artifact",
        Mark::Block { block, part } => match paged.blocks.get(block as usize) {
            Some(BlockKind::Title) if part == 0 => "H1",
            Some(BlockKind::Heading) => "H2",
            _ => "P",
        },
        Mark::Cell { block, cell } => match paged.blocks.get(block as usize) {
            Some(BlockKind::Table(grid)) => cell_role(grid, cell as usize),
            _ => "P",
        },
    }
}

/// A header cell (column header, row label, block title) is `TH`; a value or the corner note
/// `TD`.
fn cell_role(grid: &TableGrid, i: usize) -> &'static str {
    match grid.cells.get(i).map(|c| c.role) {
        Some(CellRole::Header | CellRole::Label) => "TH",
        _ => "TD",
    }
}

/// `t3-r0c3`: the /ID of the header cell anchored at (row, col) — the web page's cell ids.
fn cell_id(grid: &TableGrid, i: usize) -> Vec<u8> {
    let key = match grid.id {
        TableId::T2 => "t2",
        TableId::T3 => "t3",
        TableId::T4 => "t4",
    };
    let c = &grid.cells[i];
    format!("{key}-r{}c{}", c.row, c.col).into_bytes()
}

/// Builds the tree into `doc` and links it from the catalog and the pages. `marked[p][n]` is the
/// mark of marked-content id `n` on page `p` (whose object is `page_ids[p]`).
pub fn add(
    doc: &mut lopdf::Document,
    paged: &PagedDocument,
    marked: &[Vec<Mark>],
    page_ids: &[ObjectId],
) {
    // Where each mark's text is, in page order: (page, MCID).
    let mut content: HashMap<Mark, Vec<(usize, i64)>> = HashMap::new();
    for (p, ids) in marked.iter().enumerate() {
        for (n, &m) in ids.iter().enumerate() {
            content.entry(m).or_default().push((p, n as i64));
        }
    }
    let root = doc.new_object_id();
    let top = doc.new_object_id();
    let mut tree = Tree {
        doc,
        page_ids,
        content,
        elem_of: HashMap::new(),
        ids: BTreeMap::new(),
    };
    let mut kids: Vec<ObjectId> = vec![];
    for (i, kind) in paged.blocks.iter().enumerate() {
        let at = |part: u8| Mark::Block {
            block: i as u32,
            part,
        };
        match kind {
            BlockKind::Table(grid) => kids.push(tree.table(i as u32, grid, top)),
            _ => {
                for part in 0..2 {
                    let m = at(part);
                    if tree.content.contains_key(&m) {
                        kids.push(tree.leaf(role(paged, m), m, top));
                    }
                }
            }
        }
    }
    // Text whose block the document does not list (none is expected): read after the rest,
    // never left out of the tree.
    let mut rest: Vec<Mark> = tree
        .content
        .keys()
        .filter(|m| !tree.elem_of.contains_key(m))
        .copied()
        .collect();
    rest.sort();
    for m in rest {
        kids.push(tree.leaf("P", m, top));
    }
    let kids = tree.group(kids, top);
    let Tree {
        doc, elem_of, ids, ..
    } = tree;
    doc.objects.insert(
        top,
        Object::Dictionary(Dictionary::from_iter([
            ("Type", name("StructElem")),
            ("S", name("Document")),
            ("P", Object::Reference(root)),
            ("K", refs(&kids)),
        ])),
    );
    // The parent tree: for each page (its /StructParents), the element of each MCID.
    let mut nums = vec![];
    for (p, ids) in marked.iter().enumerate() {
        let parents: Vec<Object> = ids
            .iter()
            .map(|m| {
                elem_of
                    .get(m)
                    .map_or(Object::Null, |&e| Object::Reference(e))
            })
            .collect();
        nums.push(Object::Integer(p as i64));
        nums.push(Object::Array(parents));
    }
    let parent_tree = doc.add_object(Dictionary::from_iter([("Nums", Object::Array(nums))]));
    let mut st = Dictionary::from_iter([
        ("Type", name("StructTreeRoot")),
        ("K", Object::Reference(top)),
        ("ParentTree", Object::Reference(parent_tree)),
        ("ParentTreeNextKey", Object::Integer(marked.len() as i64)),
    ]);
    if !ids.is_empty() {
        // A name tree of one node: the ids in byte order, each with its element.
        let names: Vec<Object> = ids
            .into_iter()
            .flat_map(|(k, e)| {
                [
                    Object::String(k, StringFormat::Literal),
                    Object::Reference(e),
                ]
            })
            .collect();
        st.set(
            "IDTree",
            Object::Dictionary(Dictionary::from_iter([("Names", Object::Array(names))])),
        );
    }
    doc.objects.insert(root, Object::Dictionary(st));
    for (p, &page) in page_ids.iter().enumerate() {
        if let Ok(Object::Dictionary(d)) = doc.get_object_mut(page) {
            d.set("StructParents", Object::Integer(p as i64));
            // Tab order follows the structure (PDF/UA; there are no annotations yet).
            d.set("Tabs", name("S"));
        }
    }
    if let Ok(Object::Reference(cat)) = doc.trailer.get(b"Root").cloned() {
        if let Ok(Object::Dictionary(c)) = doc.get_object_mut(cat) {
            c.set("StructTreeRoot", Object::Reference(root));
            c.set(
                "MarkInfo",
                Object::Dictionary(Dictionary::from_iter([("Marked", Object::Boolean(true))])),
            );
            c.set(
                "ViewerPreferences",
                Object::Dictionary(Dictionary::from_iter([(
                    "DisplayDocTitle",
                    Object::Boolean(true),
                )])),
            );
        }
    }
}

/// The tree as it is built: elements go straight into `doc`; their parents are set when the
/// parent is made.
struct Tree<'d> {
    doc: &'d mut lopdf::Document,
    page_ids: &'d [ObjectId],
    content: HashMap<Mark, Vec<(usize, i64)>>,
    /// The element that holds each mark's text (the parent tree's entries).
    elem_of: HashMap<Mark, ObjectId>,
    /// The /ID of each header cell and its element (the /IDTree).
    ids: BTreeMap<Vec<u8>, ObjectId>,
}

impl Tree<'_> {
    /// An element of type `s` holding the text of `m`, a kid of `parent`.
    fn leaf(&mut self, s: &str, m: Mark, parent: ObjectId) -> ObjectId {
        let mut d = Dictionary::from_iter([
            ("Type", name("StructElem")),
            ("S", name(s)),
            ("P", Object::Reference(parent)),
        ]);
        self.fill(&mut d, m);
        let id = self.doc.add_object(d);
        self.elem_of.insert(m, id);
        id
    }

    /// The /Pg (first page) and /K (its marked-content ids) of an element holding `m`'s text.
    fn fill(&self, d: &mut Dictionary, m: Mark) {
        let items = self.content.get(&m).map(Vec::as_slice).unwrap_or(&[]);
        let Some(&(first, _)) = items.first() else {
            d.set("K", Object::Array(vec![]));
            return;
        };
        d.set("Pg", Object::Reference(self.page_ids[first]));
        if let [(_, n)] = items {
            // One sequence (most elements): the id alone, as most writers put it.
            d.set("K", Object::Integer(*n));
            return;
        }
        let k: Vec<Object> = items
            .iter()
            .map(|&(p, n)| {
                if p == first {
                    Object::Integer(n)
                } else {
                    // On another page than the element's /Pg: a marked-content reference.
                    Object::Dictionary(Dictionary::from_iter([
                        ("Type", name("MCR")),
                        ("Pg", Object::Reference(self.page_ids[p])),
                        ("MCID", Object::Integer(n)),
                    ]))
                }
            })
            .collect();
        d.set("K", Object::Array(k));
    }

    /// Sets the /P of `kids` to `parent`.
    fn adopt(&mut self, kids: &[ObjectId], parent: ObjectId) {
        for &k in kids {
            if let Ok(Object::Dictionary(d)) = self.doc.get_object_mut(k) {
                d.set("P", Object::Reference(parent));
            }
        }
    }

    /// The kids of `parent` (their /P already), in `Div`s of at most [`MAX_KIDS`] when there are
    /// more.
    fn group(&mut self, kids: Vec<ObjectId>, parent: ObjectId) -> Vec<ObjectId> {
        if kids.len() <= MAX_KIDS {
            return kids;
        }
        let mut divs = vec![];
        for chunk in kids.chunks(MAX_KIDS) {
            let div = self.doc.add_object(Dictionary::from_iter([
                ("Type", name("StructElem")),
                ("S", name("Div")),
                ("P", Object::Reference(parent)),
                ("K", refs(chunk)),
            ]));
            self.adopt(chunk, div);
            divs.push(div);
        }
        divs
    }

    /// A table: a row (TR) per grid row, holding the cells anchored in it, with their spans,
    /// header scope, ids and headers.
    fn table(&mut self, block: u32, grid: &TableGrid, parent: ObjectId) -> ObjectId {
        let table = self.doc.new_object_id();
        // The rows' ids first: each cell is made with its /P.
        let rows: Vec<ObjectId> = (0..grid.rows).map(|_| self.doc.new_object_id()).collect();
        let tags = cell_tags(grid);
        let mut cells = Vec::with_capacity(grid.cells.len());
        for (i, (t, c)) in tags.iter().zip(&grid.cells).enumerate() {
            let m = Mark::Cell {
                block,
                cell: i as u32,
            };
            // /Type is optional in a structure element (ISO 32000-1, table 323): left out of the
            // cells and rows, most of the tree.
            let mut d = Dictionary::from_iter([
                ("S", name(t.role)),
                // (A cell below the grid's rows, which no official grid has, hangs from the table.)
                (
                    "P",
                    Object::Reference(rows.get(c.row).copied().unwrap_or(table)),
                ),
            ]);
            self.fill(&mut d, m);
            if let Some(id) = &t.id {
                d.set("ID", Object::String(id.clone(), StringFormat::Literal));
            }
            d.set("A", Object::Dictionary(t.attrs.clone()));
            let e = self.doc.add_object(d);
            self.elem_of.insert(m, e);
            if let Some(id) = &t.id {
                self.ids.insert(id.clone(), e);
            }
            cells.push(e);
        }
        let mut kids: Vec<Vec<ObjectId>> = vec![vec![]; grid.rows];
        let mut stray = vec![];
        for (c, &e) in grid.cells.iter().zip(&cells) {
            match kids.get_mut(c.row) {
                Some(k) => k.push(e),
                None => stray.push(e),
            }
        }
        for (&tr, kids) in rows.iter().zip(&kids) {
            let d = Dictionary::from_iter([
                ("S", name("TR")),
                ("P", Object::Reference(table)),
                ("K", refs(kids)),
            ]);
            self.doc.objects.insert(tr, Object::Dictionary(d));
        }
        let mut d = Dictionary::from_iter([
            ("Type", name("StructElem")),
            ("S", name("Table")),
            ("P", Object::Reference(parent)),
            ("K", refs(&[rows, stray].concat())),
        ]);
        let first_page = grid
            .cells
            .iter()
            .enumerate()
            .filter_map(|(i, _)| {
                let m = Mark::Cell {
                    block,
                    cell: i as u32,
                };
                self.content.get(&m)?.first().map(|&(p, _)| p)
            })
            .min();
        if let Some(p) = first_page {
            d.set("Pg", Object::Reference(self.page_ids[p]));
        }
        self.doc.objects.insert(table, Object::Dictionary(d));
        table
    }
}

/// What a cell of a table is whatever the report holds: its structure type, its /ID (a header
/// cell) and its table attributes (scope, spans, the ids of its headers).
struct CellTag {
    role: &'static str,
    id: Option<Vec<u8>>,
    attrs: Dictionary,
}

/// The cells' tags of `grid`, worked out once per process for each of the official grids (they
/// never change; working out every cell's headers and building the attributes was most of the
/// tree's cost, 0.7 ms a report).
fn cell_tags(grid: &TableGrid) -> Arc<Vec<CellTag>> {
    type Cache = Mutex<Vec<(Vec<GridCell>, Arc<Vec<CellTag>>)>>;
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(vec![]));
    if let Ok(c) = cache.lock() {
        if let Some((_, tags)) = c.iter().find(|(cells, _)| *cells == grid.cells) {
            return Arc::clone(tags);
        }
    }
    let tags = Arc::new(make_cell_tags(grid));
    if let Ok(mut c) = cache.lock() {
        // Bounded: the official grids are three.
        if c.len() < 16 {
            c.push((grid.cells.clone(), Arc::clone(&tags)));
        }
    }
    tags
}

fn make_cell_tags(grid: &TableGrid) -> Vec<CellTag> {
    let slots = grid.slots();
    let mut out = Vec::with_capacity(grid.cells.len());
    for (i, c) in grid.cells.iter().enumerate() {
        let role = cell_role(grid, i);
        let mut a = Dictionary::from_iter([("O", name("Table"))]);
        if role == "TH" {
            // Column headers head the cells below them; a row label the cells right of it; a
            // block title (a label across the whole table) the rows below it.
            let across = c.col == 0 && c.colspan == grid.columns();
            let scope = if c.role == CellRole::Header || across {
                "Column"
            } else {
                "Row"
            };
            a.set("Scope", name(scope));
        }
        if c.rowspan > 1 {
            a.set("RowSpan", Object::Integer(c.rowspan as i64));
        }
        if c.colspan > 1 {
            a.set("ColSpan", Object::Integer(c.colspan as i64));
        }
        let headers = crate::render::html::headers_of(grid, &slots, i);
        if !headers.is_empty() {
            let ids = headers
                .iter()
                .map(|&k| Object::String(cell_id(grid, k), StringFormat::Literal))
                .collect();
            a.set("Headers", Object::Array(ids));
        }
        out.push(CellTag {
            role,
            id: (role == "TH").then(|| cell_id(grid, i)),
            attrs: a,
        });
    }
    out
}

fn name(s: &str) -> Object {
    Object::Name(s.as_bytes().to_vec())
}

fn refs(ids: &[ObjectId]) -> Object {
    Object::Array(ids.iter().map(|&i| Object::Reference(i)).collect())
}
