"""Molecules drawn from SMILES the way a textbook draws them: a skeletal formula with RDKit's 2D
coordinates, heteroatoms (and their hydrogens) as letters, double bonds as two lines, the stereocentre
as a wedge or hashed bond, each molecule's name beneath it."""

from __future__ import annotations

import math

from generator.outputs.figures.scene import Label, Line, Polygon, Scene, Shape, text_width
from generator.source.model import Structure

BOND = 20.0  # points per bond
SIZE = 10.0  # atom letters at the handout's smallest type
NAME_SIZE = 10.0
GAP = 24.0  # between molecules
TRIM = 6.5  # a bond stops this far from an atom's letter


def scene(structure: Structure, width: float) -> Scene:
    drawings = [_molecule(molecule.smiles) for molecule in structure.molecules]
    sizes = [_extent(drawing) for drawing in drawings]
    names = [molecule.name for molecule in structure.molecules]
    widths = [max(w, text_width(name, NAME_SIZE)) for (w, _), name in zip(sizes, names)]
    total = sum(widths) + GAP * (len(widths) - 1)
    scale = min(1.0, width / total)
    height = (max(h for _, h in sizes) + NAME_SIZE * 2.5) * scale
    shapes: list[Shape] = []
    x = (width - total * scale) / 2
    for (drawing, (min_x, min_y)), (w, h), name, column in zip(drawings, sizes, names, widths):
        left = x + (column - w) / 2 * scale
        bottom = NAME_SIZE * 2.5 * scale
        shapes += [_moved(shape, left - min_x * scale, bottom - min_y * scale, scale) for shape in drawing]
        shapes.append(Label(x + column * scale / 2, NAME_SIZE * 0.8, name, NAME_SIZE, "middle", bold=True))
        x += (column + GAP) * scale
    return Scene(width, height, tuple(shapes))


def _molecule(smiles: str) -> tuple[list[Shape], tuple[float, float]]:
    """The shapes of one molecule in bond-length units times BOND, and the lower-left corner they start at."""
    from rdkit import Chem  # about 0.1 s and 40 MiB: loaded only when a structure is drawn
    from rdkit.Chem import rdDepictor

    mol = Chem.MolFromSmiles(smiles)
    rdDepictor.SetPreferCoordGen(True)
    rdDepictor.Compute2DCoords(mol)
    Chem.WedgeMolBonds(mol, mol.GetConformer())
    Chem.Kekulize(mol, clearAromaticFlags=True)
    conformer = mol.GetConformer()
    points = {atom.GetIdx(): (conformer.GetAtomPosition(atom.GetIdx()).x * BOND,
                              conformer.GetAtomPosition(atom.GetIdx()).y * BOND) for atom in mol.GetAtoms()}
    letters = {atom.GetIdx(): _letters(atom) for atom in mol.GetAtoms()}
    shapes: list[Shape] = []
    for bond in mol.GetBonds():
        a, b = bond.GetBeginAtomIdx(), bond.GetEndAtomIdx()
        (x1, y1), (x2, y2) = _trimmed(points[a], points[b], bool(letters[a]), bool(letters[b]))
        direction = bond.GetBondDir()
        if direction == Chem.BondDir.BEGINWEDGE:
            shapes.append(_wedge(x1, y1, x2, y2))
        elif direction == Chem.BondDir.BEGINDASH:
            shapes += _hashes(x1, y1, x2, y2)
        else:
            shapes += _lines(x1, y1, x2, y2, int(bond.GetBondTypeAsDouble()), _ring_side(mol, bond, points))
    for index, text in letters.items():
        if text:
            x, y = points[index]
            shapes.append(Label(x, y - SIZE * 0.35, text, SIZE, "middle"))
    xs = [p[0] for p in points.values()]
    ys = [p[1] for p in points.values()]
    return shapes, (min(xs) - SIZE, min(ys) - SIZE)


def _letters(atom) -> str:
    """'N' with its hydrogens ('NH'), 'O', 'Cl', and any charge ('N+', 'O−'); an uncharged carbon stays a
    corner of the skeleton."""
    charge = atom.GetFormalCharge()
    if atom.GetSymbol() == "C" and not charge:
        return ""
    hydrogens = atom.GetTotalNumHs()
    sign = "" if not charge else ("" if abs(charge) == 1 else str(abs(charge))) + ("+" if charge > 0 else "\u2212")
    return atom.GetSymbol() + ("H" if hydrogens == 1 else f"H{hydrogens}" if hydrogens else "") + sign


def _trimmed(p1, p2, cut1: bool, cut2: bool):
    (x1, y1), (x2, y2) = p1, p2
    length = math.hypot(x2 - x1, y2 - y1) or 1.0
    ux, uy = (x2 - x1) / length, (y2 - y1) / length
    if cut1:
        x1, y1 = x1 + ux * TRIM, y1 + uy * TRIM
    if cut2:
        x2, y2 = x2 - ux * TRIM, y2 - uy * TRIM
    return (x1, y1), (x2, y2)


def _ring_side(mol, bond, points) -> float:
    """Which side of a ring double bond its ring lies on (+1 or -1), so the second line is drawn inside."""
    ring_info = mol.GetRingInfo()
    for ring in ring_info.BondRings():
        if bond.GetIdx() in ring:
            atoms = {i for b in ring for i in (mol.GetBondWithIdx(b).GetBeginAtomIdx(),
                                               mol.GetBondWithIdx(b).GetEndAtomIdx())}
            cx = sum(points[i][0] for i in atoms) / len(atoms)
            cy = sum(points[i][1] for i in atoms) / len(atoms)
            (x1, y1), (x2, y2) = points[bond.GetBeginAtomIdx()], points[bond.GetEndAtomIdx()]
            cross = (x2 - x1) * (cy - y1) - (y2 - y1) * (cx - x1)
            return 1.0 if cross > 0 else -1.0
    return 0.0


def _lines(x1, y1, x2, y2, order: int, side: float) -> list[Shape]:
    length = math.hypot(x2 - x1, y2 - y1) or 1.0
    nx, ny = -(y2 - y1) / length, (x2 - x1) / length
    if order == 2 and side:  # in a ring: the main line, and a shorter one inside
        off, inset = 3.2 * side, 0.15
        ix1, iy1 = x1 + (x2 - x1) * inset, y1 + (y2 - y1) * inset
        ix2, iy2 = x2 - (x2 - x1) * inset, y2 - (y2 - y1) * inset
        return [Line(x1, y1, x2, y2), Line(ix1 + nx * off, iy1 + ny * off, ix2 + nx * off, iy2 + ny * off)]
    offsets = {1: (0.0,), 2: (-1.6, 1.6), 3: (-2.8, 0.0, 2.8)}.get(order, (0.0,))
    return [Line(x1 + nx * o, y1 + ny * o, x2 + nx * o, y2 + ny * o) for o in offsets]


def _wedge(x1, y1, x2, y2) -> Polygon:
    length = math.hypot(x2 - x1, y2 - y1) or 1.0
    nx, ny = -(y2 - y1) / length * 2.8, (x2 - x1) / length * 2.8
    return Polygon(((x1, y1), (x2 + nx, y2 + ny), (x2 - nx, y2 - ny)))


def _hashes(x1, y1, x2, y2) -> list[Shape]:
    length = math.hypot(x2 - x1, y2 - y1) or 1.0
    nx, ny = -(y2 - y1) / length, (x2 - x1) / length
    shapes: list[Shape] = []
    for step in range(1, 7):
        t = step / 6
        half = 2.8 * t
        cx, cy = x1 + (x2 - x1) * t, y1 + (y2 - y1) * t
        shapes.append(Line(cx - nx * half, cy - ny * half, cx + nx * half, cy + ny * half, 0.8))
    return shapes


def _extent(drawing: tuple[list[Shape], tuple[float, float]]) -> tuple[float, float]:
    """Width and height of a molecule's drawing, from its lower-left corner."""
    shapes, (min_x, min_y) = drawing
    xs: list[float] = []
    ys: list[float] = []
    for shape in shapes:
        if isinstance(shape, Line):
            xs += [shape.x1, shape.x2]
            ys += [shape.y1, shape.y2]
        elif isinstance(shape, Polygon):
            xs += [p[0] for p in shape.points]
            ys += [p[1] for p in shape.points]
        else:
            xs.append(shape.x)
            ys.append(shape.y)
    return max(xs) + SIZE - min_x, max(ys) + SIZE - min_y


def _moved(shape: Shape, dx: float, dy: float, scale: float) -> Shape:
    def at(x: float, y: float) -> tuple[float, float]:
        return x * scale + dx, y * scale + dy

    if isinstance(shape, Line):
        (x1, y1), (x2, y2) = at(shape.x1, shape.y1), at(shape.x2, shape.y2)
        return Line(x1, y1, x2, y2, shape.width * scale, shape.colour)
    if isinstance(shape, Polygon):
        return Polygon(tuple(at(*p) for p in shape.points), shape.colour)
    x, y = at(shape.x, shape.y)
    return Label(x, y, shape.text, shape.size * scale, shape.anchor, shape.bold, shape.colour)
