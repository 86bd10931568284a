"""Inter-annotator agreement: ``sgie agreement`` writes annotations/AGREEMENT.md and agreement.json.

``alpha`` computes PolNeAR's token-level Krippendorff's alpha over attribution roles;
``measures`` scores one annotator against another with the evaluation harness's own matching
and counts (``sgie.scoring``) plus Cohen's kappa on proposal attributes; ``report`` renders
the generated files.
"""
