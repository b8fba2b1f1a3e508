"""Drug names for the HSL detector (R-PLAN-11): data, no code.

The medicines most often prescribed or handed out in Swedish primary care,
home care and residential care, by brand (*Alvedon*, *Levemir*) and by
substance (*paracetamol*, *sertralin*), grouped by use. Lower case; a name
matches as a whole word, also inflected or in a compound (*Alvedon*,
*Seroquel-tabletter*, *Norspanplåstret*, *Zyprexan*). Names that are also
everyday Swedish or English words, also after folding, are left out
(*Abstral* ~ *abstract*, *Imigran* ~ *immigrant*).

Names of at least eight letters are also matched with one typing error
(*Levemier*); :data:`NO_FUZZY` lists the names that must not be, because one
edit turns them into an everyday word (*fragmin* ~ *fragment*).
"""

from __future__ import annotations

__all__ = ["DRUG_NAMES", "NO_FUZZY"]

DRUG_NAMES: tuple[str, ...] = (
    # Pain, fever
    "alvedon", "panodil", "paracetamol", "citodon", "panocod", "treo", "ipren",
    "ibuprofen", "voltaren", "diklofenak", "naproxen", "pronaxen", "oxynorm",
    "oxycontin", "oxykodon", "targiniq", "dolcontin", "tramadol", "tradolan", "norspan",
    "buprenorfin", "fentanyl", "durogesic", "lyrica", "pregabalin",
    "gabapentin", "neurontin", "kodein", "postafen", "sumatriptan",
    # Diabetes
    "levemir", "lantus", "toujeo", "tresiba", "novorapid", "humalog", "humulin",
    "insulatard", "novomix", "fiasp", "metformin", "glucophage", "januvia",
    "jardiance", "forxiga", "ozempic", "victoza", "trulicity", "glimepirid", "glucagen",
    # Blood thinners, heart, blood pressure, lipids
    "trombyl", "waran", "warfarin", "eliquis", "apixaban", "xarelto", "pradaxa",
    "lixiana", "fragmin", "klexane", "innohep", "heparin", "metoprolol", "seloken",
    "bisoprolol", "emconcor", "enalapril", "ramipril", "triatec", "losartan",
    "candesartan", "atacand", "amlodipin", "norvasc", "felodipin", "plendil", "furix",
    "furosemid", "impugan", "spironolakton", "spirix", "aldactone", "salures",
    "simvastatin", "atorvastatin", "lipitor", "digoxin", "lanacrist", "imdur",
    "isosorbid", "nitroglycerin", "glytrin", "nitrolingual",
    # Mental health, sleep, dementia, neurology
    "sertralin", "zoloft", "citalopram", "cipramil", "escitalopram", "cipralex",
    "mirtazapin", "remeron", "venlafaxin", "efexor", "fluoxetin", "fontex",
    "duloxetin", "cymbalta", "sobril", "oxascand", "oxazepam", "stesolid", "diazepam",
    "xanor", "alprazolam", "atarax", "hydroxizin", "propavan", "zopiklon", "imovane",
    "zolpidem", "stilnoct", "melatonin", "circadin", "lergigan", "theralen", "haldol",
    "haloperidol", "risperdal", "risperidon", "zyprexa", "olanzapin", "seroquel",
    "quetiapin", "abilify", "aripiprazol", "leponex", "klozapin", "clozapin", "lithium",
    "litium", "lithionit", "lamotrigin", "lamictal", "nozinan", "truxal", "cisordinol",
    "xeplion", "heminevrin", "concerta", "ritalin", "medikinet", "elvanse", "strattera",
    "metylfenidat", "aricept", "donepezil", "ebixa", "memantin", "galantamin",
    "reminyl", "rivastigmin", "madopark", "sinemet", "levodopa", "keppra",
    "levetiracetam", "trileptal", "tegretol", "karbamazepin", "depakine", "ergenyl",
    "orfiril", "buccolam", "epistatus",
    # Addiction care
    "antabus", "disulfiram", "campral", "akamprosat", "naltrexon", "subutex",
    "suboxone", "buvidal", "metadon", "naloxon", "nyxoid", "selincro", "nalmefen",
    # Stomach, bowel
    "omeprazol", "losec", "pantoprazol", "pantoloc", "nexium", "esomeprazol",
    "laktulos", "lactulose", "duphalac", "movicol", "forlax", "laxoberal",
    "cilaxoral", "microlax", "resulax", "dulcolax", "inolaxol", "loperamid",
    "imodium", "primperan", "ondansetron", "zofran",
    # Vitamins, minerals, bones, thyroid
    "levaxin", "euthyrox", "behepan", "calcichew", "kalcipos", "ideos", "duroferon",
    "niferex", "alendronat", "prolia", "kaliumklorid", "kajos",
    # Skin, eyes, cortisone, infections
    "kortison", "hydrokortison", "prednisolon", "betapred", "mildison", "locoid",
    "betnovat", "dermovat", "elocon", "canesten", "daktacort", "pevaryl", "xylocain",
    "xalatan", "latanoprost", "timosan", "lumigan", "oftagel", "viscotears",
    "kloramfenikol", "kåvepenin", "penicillin", "amoxicillin", "flukloxacillin",
    "heracillin", "doxyferm", "doxycyklin", "selexid", "pivmecillinam", "furadantin",
    "nitrofurantoin", "trimetoprim", "ciprofloxacin", "dalacin", "klindamycin",
    "duraphat", "mycostatin", "nystimex",
    # Lungs, allergy, urology
    "ventoline", "bricanyl", "airomir", "salbutamol", "symbicort", "seretide",
    "spiriva", "pulmicort", "flutide", "bufomix", "duoresp", "atrovent", "eklira",
    "relvar", "anoro", "trimbow", "aerius", "desloratadin", "cetirizin", "zyrtec",
    "clarityn", "loratadin", "kestine", "tamsulosin", "omnic", "finasterid",
    "detrusitol", "vesicare", "betmiga", "emselex",
)  # fmt: skip

#: Names matched exactly only: one edit makes an everyday word of them.
NO_FUZZY: frozenset[str] = frozenset({"fragmin", "ventoline", "concerta"})
