/* sgie.scoring._kernel: the compiled kernel of the bulk path (optional).

What it does
    Three loops of the one-pass scorer (sgie.scoring.onepass) that numpy or Python would
    do in several passes or per item, each with a Python path that gives the same results:

    flatten(docs, entity_type, codes, texts) takes the entities of a batch of documents (a
    list or tuple of documents, each a tuple or list of records of exactly ``entity_type``, a
    frozen msgspec Struct with the fields id, start, end, text, label) and, optionally, the
    documents' texts (a list of str, one per document, or None), and returns what
    ``sgie.scoring.flatten`` describes, in one C loop:

        (doc, start, end, code, id_hash, text_hash, joined_texts, holds)

    doc, start, end and code are bytes holding native int64 values, one per entity in order:
    the index of its document, its offsets, and ``codes[label]``; id_hash and text_hash bytes
    holding native uint64 values: sgie.scoring.hashing's HASH of the entity's id and text
    (hash_of below); joined_texts every text followed by a NUL, as one str; holds whether
    every entity satisfies the offset rule in its document's text (span_holds below), or
    None when no texts were given. The fields are read from the records' slots (the offsets
    of their member descriptors), not through attribute lookups.

    lines_and_colons(buffer) counts the line ends and the ':' bytes of a bytes-like object
    in one loop (what sgie.scoring.onepass checks each batch's lines and keys with; its
    numpy path counts the same).

    first_keys(a_doc, a_key, b_doc, b_key) finds, per document, the first item of each key
    on each side and the items of one side whose key the other side has (hash tables per
    document): the bulk id check and the surface counts (sgie.scoring.bulk_checks,
    sgie.scoring.bulk_surface) use it, and sort the keys instead where it was not built.

What it does not do
    No validation beyond holds: an offset that does not fit in 64 bits raises
    OverflowError, a label missing from codes KeyError, anything else unexpected (another
    record type, a field that is not a slot, a field of the wrong type, texts that are not one
    str per document) TypeError, on which the caller takes the Python path. It keeps no
    reference and changes nothing it is given.

Built by ``pip install`` where a C compiler is found (``ext-modules`` in pyproject.toml, an
optional extension: without a compiler the install goes on and sgie uses the Python path,
which gives the same results, more slowly; tests/test_scoring_flatten.py,
tests/test_scoring_onepass.py and tests/test_scoring_bulk_checks.py hold the two equal).
*/
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>
#include <stdint.h>
#include <string.h>

#define FIELDS 5
static const char *const FIELD_NAMES[FIELDS] = {"id", "start", "end", "text", "label"};
enum { F_ID, F_START, F_END, F_TEXT, F_LABEL };

/* The offset of the object slot behind ``type.name``, or -1 with TypeError set. */
static Py_ssize_t slot_offset(PyObject *type, const char *name)
{
    PyObject *descr = PyObject_GetAttrString(type, name);
    if (descr == NULL) {
        return -1;
    }
    Py_ssize_t offset = -1;
    if (Py_IS_TYPE(descr, &PyMemberDescr_Type)) {
        PyMemberDef *member = ((PyMemberDescrObject *)descr)->d_member;
        if (member->type == T_OBJECT_EX || member->type == T_OBJECT) {
            offset = member->offset;
        }
    }
    Py_DECREF(descr);
    if (offset < 0) {
        PyErr_Format(PyExc_TypeError, "'%s' of the entity type is not an object slot", name);
    }
    return offset;
}

#define SLOT(obj, offset) (*(PyObject **)((char *)(obj) + (offset)))

/* The n strings joined, each followed by a NUL (U+0000), as one new str. */
static PyObject *joined(PyObject *const *strings, Py_ssize_t n)
{
    Py_ssize_t total = n;
    Py_UCS4 widest = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_ssize_t length = PyUnicode_GET_LENGTH(strings[i]);
        if (length > PY_SSIZE_T_MAX - total) {
            return PyErr_NoMemory();
        }
        total += length;
        Py_UCS4 widest_here = PyUnicode_MAX_CHAR_VALUE(strings[i]);
        if (widest_here > widest) {
            widest = widest_here;
        }
    }
    PyObject *out = PyUnicode_New(total, widest);
    if (out == NULL) {
        return NULL;
    }
    int kind = PyUnicode_KIND(out);
    char *data = PyUnicode_DATA(out);
    Py_ssize_t at = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *s = strings[i];
        Py_ssize_t length = PyUnicode_GET_LENGTH(s);
        if (PyUnicode_KIND(s) == kind) {
            memcpy(data + at * kind, PyUnicode_DATA(s), (size_t)(length * kind));
        }
        else if (PyUnicode_CopyCharacters(out, at, s, 0, length) < 0) {  /* widened */
            Py_DECREF(out);
            return NULL;
        }
        at += length;
        PyUnicode_WRITE(kind, data, at, 0);
        at++;
    }
    return out;
}

/* sgie.scoring.hashing's HASH: sum(ord(s[j]) * P**j) ^ (len(s) * MIX), modulo 2**64. */
static const uint64_t HASH_P = 0x100000001B3ULL, HASH_MIX = 0x9E3779B97F4A7C15ULL;

#define HASH_LOOP(T)                          \
    for (Py_ssize_t j = 0; j < n; j++) {      \
        h += (uint64_t)((const T *)data)[j] * power; \
        power *= HASH_P;                      \
    }

static uint64_t hash_of(PyObject *s)
{
    Py_ssize_t n = PyUnicode_GET_LENGTH(s);
    const void *data = PyUnicode_DATA(s);
    uint64_t h = 0, power = 1;
    switch (PyUnicode_KIND(s)) {
    case PyUnicode_1BYTE_KIND:
        HASH_LOOP(Py_UCS1)
        break;
    case PyUnicode_2BYTE_KIND:
        HASH_LOOP(Py_UCS2)
        break;
    default:
        HASH_LOOP(Py_UCS4)
        break;
    }
    return h ^ ((uint64_t)n * HASH_MIX);
}

/* The offset rule of sgie.spans: 0 <= start < end <= len(text) and text[start:end] == span. */
static int span_holds(PyObject *text, long long start, long long end, PyObject *span)
{
    Py_ssize_t length = PyUnicode_GET_LENGTH(text);
    if (start < 0 || start >= end || end > (long long)length) {
        return 0;
    }
    Py_ssize_t n = (Py_ssize_t)(end - start);
    if (PyUnicode_GET_LENGTH(span) != n) {
        return 0;
    }
    int kind = PyUnicode_KIND(text), span_kind = PyUnicode_KIND(span);
    const char *data = PyUnicode_DATA(text), *span_data = PyUnicode_DATA(span);
    if (kind == span_kind) {
        return memcmp(data + (size_t)start * (size_t)kind, span_data, (size_t)n * (size_t)kind) == 0;
    }
    for (Py_ssize_t j = 0; j < n; j++) {  /* widths differ: compare code points */
        if (PyUnicode_READ(kind, data, start + j) != PyUnicode_READ(span_kind, span_data, j)) {
            return 0;
        }
    }
    return 1;
}

static PyObject *flatten(PyObject *module, PyObject *args)
{
    PyObject *docs, *type, *codes, *texts_given;
    if (!PyArg_ParseTuple(args, "OO!O!O:flatten", &docs, &PyType_Type, &type, &PyDict_Type, &codes,
                          &texts_given)) {
        return NULL;
    }
    Py_ssize_t offset[FIELDS];
    for (int f = 0; f < FIELDS; f++) {
        offset[f] = slot_offset(type, FIELD_NAMES[f]);
        if (offset[f] < 0) {
            return NULL;
        }
    }
    PyObject *seq = PySequence_Fast(docs, "the documents must be a sequence");
    if (seq == NULL) {
        return NULL;
    }
    Py_ssize_t documents = PySequence_Fast_GET_SIZE(seq), n = 0;
    PyObject **doc_items = PySequence_Fast_ITEMS(seq);
    const int checking = texts_given != Py_None;
    PyObject **doc_texts = NULL;  /* texts_given's items, when given (NULL for an empty list) */
    if (checking) {
        if (!PyList_CheckExact(texts_given) || PyList_GET_SIZE(texts_given) != documents) {
            Py_DECREF(seq);
            PyErr_SetString(PyExc_TypeError, "the texts must be a list of one str per document");
            return NULL;
        }
        doc_texts = PySequence_Fast_ITEMS(texts_given);
        for (Py_ssize_t d = 0; d < documents; d++) {
            if (!PyUnicode_CheckExact(doc_texts[d])) {
                Py_DECREF(seq);
                PyErr_SetString(PyExc_TypeError, "the texts must be a list of one str per document");
                return NULL;
            }
        }
    }
    int holds = 1;
    for (Py_ssize_t d = 0; d < documents; d++) {
        if (!PyTuple_CheckExact(doc_items[d]) && !PyList_CheckExact(doc_items[d])) {
            Py_DECREF(seq);
            PyErr_SetString(PyExc_TypeError, "a document's entities must be a tuple or a list");
            return NULL;
        }
        n += PySequence_Fast_GET_SIZE(doc_items[d]);
    }
    /* doc, start, end, code (int64), id_hash, text_hash (uint64): 8 bytes per entity each */
    PyObject *columns[6] = {NULL, NULL, NULL, NULL, NULL, NULL};
    PyObject *texts = NULL, *result = NULL;
    PyObject **text_of = PyMem_Malloc(sizeof(PyObject *) * (size_t)(n > 0 ? n : 1));
    if (text_of == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    long long *values[4];
    uint64_t *hashes[2];
    for (int c = 0; c < 6; c++) {
        columns[c] = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)sizeof(long long) * n);
        if (columns[c] == NULL) {
            goto done;
        }
        if (c < 4) {
            values[c] = (long long *)PyBytes_AS_STRING(columns[c]);
        }
        else {
            hashes[c - 4] = (uint64_t *)PyBytes_AS_STRING(columns[c]);
        }
    }
    Py_ssize_t k = 0;
    /* No Python code runs in this loop (exact str keys in a dict, ints), so the borrowed
       references it keeps stay valid: the records hold them. */
    for (Py_ssize_t d = 0; d < documents; d++) {
        PyObject *items = doc_items[d];
        Py_ssize_t m = PySequence_Fast_GET_SIZE(items);
        PyObject **item = PySequence_Fast_ITEMS(items);
        for (Py_ssize_t i = 0; i < m; i++, k++) {
            PyObject *e = item[i];
            if (Py_TYPE(e) != (PyTypeObject *)type) {
                PyErr_SetString(PyExc_TypeError, "an item is not of the entity type");
                goto done;
            }
            PyObject *id = SLOT(e, offset[F_ID]), *start = SLOT(e, offset[F_START]),
                     *end = SLOT(e, offset[F_END]), *text = SLOT(e, offset[F_TEXT]),
                     *label = SLOT(e, offset[F_LABEL]);
            if (id == NULL || start == NULL || end == NULL || text == NULL || label == NULL
                || !PyUnicode_CheckExact(id) || !PyUnicode_CheckExact(text)
                || !PyUnicode_CheckExact(label) || !PyLong_Check(start) || !PyLong_Check(end)) {
                PyErr_SetString(PyExc_TypeError, "an entity field is unset or of another type");
                goto done;
            }
            values[0][k] = d;
            values[1][k] = PyLong_AsLongLong(start);
            if (values[1][k] == -1 && PyErr_Occurred()) {
                goto done;
            }
            values[2][k] = PyLong_AsLongLong(end);
            if (values[2][k] == -1 && PyErr_Occurred()) {
                goto done;
            }
            PyObject *code = PyDict_GetItemWithError(codes, label);
            if (code == NULL) {
                if (!PyErr_Occurred()) {
                    PyErr_SetObject(PyExc_KeyError, label);
                }
                goto done;
            }
            values[3][k] = PyLong_AsLongLong(code);
            if (values[3][k] == -1 && PyErr_Occurred()) {
                goto done;
            }
            hashes[0][k] = hash_of(id);
            hashes[1][k] = hash_of(text);
            if (holds && checking) {
                holds = span_holds(doc_texts[d], values[1][k], values[2][k], text);
            }
            text_of[k] = text;
        }
    }
    texts = joined(text_of, n);
    if (texts == NULL) {
        goto done;
    }
    result = Py_BuildValue("(OOOOOOOO)", columns[0], columns[1], columns[2], columns[3], columns[4],
                           columns[5], texts, !checking ? Py_None : (holds ? Py_True : Py_False));
done:
    PyMem_Free(text_of);
    for (int c = 0; c < 6; c++) {
        Py_XDECREF(columns[c]);
    }
    Py_XDECREF(texts);
    Py_DECREF(seq);
    return result;
}

/* lines_and_colons(buffer) -> (line ends, ':' bytes) of a bytes-like object, in one pass. */
static PyObject *lines_and_colons(PyObject *module, PyObject *arg)
{
    Py_buffer view;
    if (PyObject_GetBuffer(arg, &view, PyBUF_SIMPLE) < 0) {
        return NULL;
    }
    const unsigned char *data = view.buf;
    Py_ssize_t n = view.len, lines = 0, colons = 0, i = 0;
    /* blocks of 128 bytes counted in byte-wide sums (at most 128 each), branch-free: the
       compiler vectorises the inner loop */
    for (; i + 128 <= n; i += 128) {
        unsigned char block_lines = 0, block_colons = 0;
        for (int j = 0; j < 128; j++) {
            block_lines += data[i + j] == '\n';
            block_colons += data[i + j] == ':';
        }
        lines += block_lines;
        colons += block_colons;
    }
    for (; i < n; i++) {
        lines += data[i] == '\n';
        colons += data[i] == ':';
    }
    PyBuffer_Release(&view);
    return Py_BuildValue("(nn)", lines, colons);
}

/* An array argument: a C-contiguous buffer of n items of 8 bytes. */
static int eight_byte_items(PyObject *obj, Py_buffer *view, Py_ssize_t *n)
{
    if (PyObject_GetBuffer(obj, view, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT) < 0) {
        return -1;
    }
    if (view->itemsize != 8) {
        PyBuffer_Release(view);
        PyErr_SetString(PyExc_TypeError, "an array of 8-byte items was expected");
        return -1;
    }
    *n = view->len / 8;
    return 0;
}

/* The slot of key in a table of 2**bits entries (multiplicative hashing: the high bits). */
#define SLOT_OF(key, bits) ((Py_ssize_t)(((uint64_t)(key) * HASH_MIX) >> (64 - (bits))))

/* Probe table (2**bits entries, -1 for empty) for key among the items of keys it holds:
   the index of an item with that key, or -1 with *slot the empty slot where it goes. */
static Py_ssize_t probe(const long long *table, int bits, const uint64_t *keys, uint64_t key,
                        Py_ssize_t *slot)
{
    Py_ssize_t mask = ((Py_ssize_t)1 << bits) - 1, at = SLOT_OF(key, bits);
    while (table[at] >= 0) {
        if (keys[table[at]] == key) {
            return (Py_ssize_t)table[at];
        }
        at = (at + 1) & mask;
    }
    *slot = at;
    return -1;
}

/* first_keys(a_doc, a_key, b_doc, b_key) -> (a_first, b_first, b_match)

   Two sides' items (doc: int64, non-decreasing: the items of a document together, in the
   same order on both sides; key: uint64). For each item of a side, the index of the first
   item of that side in the same document with the same key (its own index if none comes
   before it): a_first, b_first; for each item of b that is first, the index of an item of a
   in the same document with the same key, or -1 (-1 too for the others): b_match. Bytes of
   native int64. One pass per document with two small hash tables (what sorting the keys of
   a batch does, in time linear in the items). ValueError if a doc array decreases. */
static PyObject *first_keys(PyObject *module, PyObject *args)
{
    PyObject *objects[4];
    if (!PyArg_ParseTuple(args, "OOOO:first_keys", &objects[0], &objects[1], &objects[2], &objects[3])) {
        return NULL;
    }
    Py_buffer views[4];
    Py_ssize_t lengths[4];
    int got = 0;
    PyObject *out[3] = {NULL, NULL, NULL}, *result = NULL;
    long long *table_a = NULL, *table_b = NULL;
    for (; got < 4; got++) {
        if (eight_byte_items(objects[got], &views[got], &lengths[got]) < 0) {
            goto done;
        }
    }
    Py_ssize_t na = lengths[0], nb = lengths[2];
    if (lengths[1] != na || lengths[3] != nb) {
        PyErr_SetString(PyExc_ValueError, "doc and key arrays of a side must have one item each");
        goto done;
    }
    const long long *a_doc = views[0].buf, *b_doc = views[2].buf;
    const uint64_t *a_key = views[1].buf, *b_key = views[3].buf;
    Py_ssize_t sizes[3] = {na, nb, nb};
    long long *first[3];
    for (int k = 0; k < 3; k++) {
        out[k] = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)sizeof(long long) * sizes[k]);
        if (out[k] == NULL) {
            goto done;
        }
        first[k] = (long long *)PyBytes_AS_STRING(out[k]);
    }
    long long *a_first = first[0], *b_first = first[1], *b_match = first[2];
    int capacity_bits = 0;  /* the tables hold 2**capacity_bits entries each */
    Py_ssize_t i = 0, j = 0;
    while (i < na || j < nb) {
        long long d = i < na && (j >= nb || a_doc[i] <= b_doc[j]) ? a_doc[i] : b_doc[j];
        Py_ssize_t i_end = i, j_end = j;
        while (i_end < na && a_doc[i_end] == d) {
            i_end++;
        }
        while (j_end < nb && b_doc[j_end] == d) {
            j_end++;
        }
        if ((i_end < na && a_doc[i_end] < d) || (j_end < nb && b_doc[j_end] < d)) {
            PyErr_SetString(PyExc_ValueError, "the documents of the items must not decrease");
            goto done;
        }
        Py_ssize_t most = i_end - i > j_end - j ? i_end - i : j_end - j;
        int bits = 3;  /* at least twice as many entries as items: short probes */
        while (((Py_ssize_t)1 << bits) < 2 * most) {
            bits++;
        }
        if (bits > capacity_bits) {
            PyMem_Free(table_a);
            PyMem_Free(table_b);
            table_a = PyMem_Malloc(sizeof(long long) << bits);
            table_b = PyMem_Malloc(sizeof(long long) << bits);
            if (table_a == NULL || table_b == NULL) {
                PyErr_NoMemory();
                goto done;
            }
            capacity_bits = bits;
        }
        memset(table_a, 0xff, sizeof(long long) << bits);  /* -1: empty */
        memset(table_b, 0xff, sizeof(long long) << bits);
        Py_ssize_t slot = 0;
        for (; i < i_end; i++) {
            Py_ssize_t found = probe(table_a, bits, a_key, a_key[i], &slot);
            if (found < 0) {
                table_a[slot] = i;
                found = i;
            }
            a_first[i] = found;
        }
        for (; j < j_end; j++) {
            Py_ssize_t found = probe(table_b, bits, b_key, b_key[j], &slot);
            b_match[j] = -1;
            if (found < 0) {
                table_b[slot] = j;
                found = j;
                b_match[j] = probe(table_a, bits, a_key, b_key[j], &slot);
            }
            b_first[j] = found;
        }
    }
    result = PyTuple_Pack(3, out[0], out[1], out[2]);
done:
    PyMem_Free(table_a);
    PyMem_Free(table_b);
    for (int k = 0; k < 3; k++) {
        Py_XDECREF(out[k]);
    }
    for (int k = 0; k < got; k++) {
        PyBuffer_Release(&views[k]);
    }
    return result;
}

static PyMethodDef methods[] = {
    {"flatten", flatten, METH_VARARGS,
     "flatten(docs, entity_type, codes, texts) -> "
     "(doc, start, end, code, id_hash, text_hash, joined_texts, holds)"},
    {"lines_and_colons", lines_and_colons, METH_O,
     "lines_and_colons(buffer) -> (line ends, colons): how many b'\\n' and b':' bytes it holds"},
    {"first_keys", first_keys, METH_VARARGS,
     "first_keys(a_doc, a_key, b_doc, b_key) -> (a_first, b_first, b_match)"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "sgie.scoring._kernel",
    "The compiled kernel of the bulk path (see _kernel.c).", -1, methods,
};

PyMODINIT_FUNC PyInit__kernel(void)
{
    return PyModule_Create(&module);
}
