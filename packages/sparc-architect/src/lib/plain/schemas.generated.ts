// Generated from the zod schemas in options.ts and data.ts by render-schemas.ts; do not edit.
// Regenerate: npm run generate:plain-schemas (in packages/sparc-architect).
import type { OptionDescriptor, PlainSchema } from '@sparc/batch-core';

export const ARCHITECT_OPTION_DESCRIPTORS: readonly OptionDescriptor[] = [
  {
    "name": "src",
    "flag": "--src",
    "type": "array",
    "hasDefault": true,
    "required": false,
    "itemType": "string",
    "description": "folders to analyse, relative to --dir",
    "default": ["."]
  },
  {
    "name": "include",
    "flag": "--include",
    "type": "array",
    "hasDefault": true,
    "required": false,
    "itemType": "string",
    "description": "globs a file must match, relative to --dir",
    "default": []
  },
  {
    "name": "exclude",
    "flag": "--exclude",
    "type": "array",
    "hasDefault": true,
    "required": false,
    "itemType": "string",
    "description": "globs of files to leave out, relative to --dir",
    "default": []
  },
  {
    "name": "tsconfig",
    "flag": "--tsconfig",
    "type": "string",
    "hasDefault": false,
    "required": false,
    "description": "tsconfig for every file (default: each file's nearest tsconfig.json)"
  },
  {
    "name": "typeEdges",
    "flag": "--type-edges",
    "type": "enum",
    "hasDefault": true,
    "required": false,
    "choices": ["exclude","include"],
    "description": "count type-only imports (import type, imports used only as types) as edges",
    "default": "exclude"
  },
  {
    "name": "workspaces",
    "flag": "--workspaces",
    "type": "boolean",
    "hasDefault": true,
    "required": false,
    "description": "resolve imports of workspace packages to their sources",
    "default": true
  },
  {
    "name": "cache",
    "flag": "--cache",
    "type": "boolean",
    "hasDefault": true,
    "required": false,
    "description": "reuse per-file parse results (keyed by content hash)",
    "default": true
  },
  {
    "name": "format",
    "flag": "--format",
    "type": "array",
    "hasDefault": true,
    "required": false,
    "itemType": "enum",
    "choices": ["md","mermaid","dot","json"],
    "description": "artifacts to write",
    "default": ["md","mermaid","dot","json"]
  },
  {
    "name": "componentDepth",
    "flag": "--component-depth",
    "type": "number",
    "hasDefault": true,
    "required": false,
    "description": "folder depth of a component (outside workspace packages)",
    "default": 2
  },
  {
    "name": "rules",
    "flag": "--rules",
    "type": "string",
    "hasDefault": false,
    "required": false,
    "description": "JSON file of forbidden dependencies: { \"forbidden\": [{ name, from, to, severity }] }"
  },
  {
    "name": "failOnCycles",
    "flag": "--fail-on-cycles",
    "type": "boolean",
    "hasDefault": true,
    "required": false,
    "description": "report import cycles as errors",
    "default": false
  },
  {
    "name": "parser",
    "flag": "--parser",
    "type": "enum",
    "hasDefault": true,
    "required": false,
    "choices": ["auto","oxc"],
    "description": "auto: fast scanner, oxc-parser for what it cannot follow; oxc: oxc-parser for every file",
    "default": "auto"
  },
  {
    "name": "gitignore",
    "flag": "--gitignore",
    "type": "boolean",
    "hasDefault": true,
    "required": false,
    "description": "skip paths .gitignore files ignore",
    "default": true
  }
];

export const ARCHITECT_OPTIONS_PLAIN: PlainSchema = {
  "type": "object",
  "shape": {
    "src": {
      "type": "default",
      "inner": {"type":"array","element":{"type":"string","checks":[{"check":"min_length","minimum":1}]}},
      "value": ["."]
    },
    "include": {
      "type": "default",
      "inner": {"type":"array","element":{"type":"string","checks":[{"check":"min_length","minimum":1}]}},
      "value": []
    },
    "exclude": {
      "type": "default",
      "inner": {"type":"array","element":{"type":"string","checks":[{"check":"min_length","minimum":1}]}},
      "value": []
    },
    "tsconfig": {"type":"optional","inner":{"type":"string","checks":[{"check":"min_length","minimum":1}]}},
    "typeEdges": {"type":"default","inner":{"type":"enum","values":["exclude","include"]},"value":"exclude"},
    "workspaces": {"type":"default","inner":{"type":"boolean"},"value":true},
    "cache": {"type":"default","inner":{"type":"boolean"},"value":true},
    "format": {
      "type": "default",
      "inner": {"type":"array","element":{"type":"enum","values":["md","mermaid","dot","json"]}},
      "value": ["md","mermaid","dot","json"]
    },
    "componentDepth": {
      "type": "default",
      "inner": {
        "type": "number",
        "checks": [
          {"check":"safeint"},
          {"check":"greater_than","value":1,"inclusive":true},
          {"check":"less_than","value":32,"inclusive":true}
        ]
      },
      "value": 2
    },
    "rules": {"type":"optional","inner":{"type":"string","checks":[{"check":"min_length","minimum":1}]}},
    "failOnCycles": {"type":"default","inner":{"type":"boolean"},"value":false},
    "parser": {"type":"default","inner":{"type":"enum","values":["auto","oxc"]},"value":"auto"},
    "gitignore": {"type":"default","inner":{"type":"boolean"},"value":true}
  },
  "strict": true
};

export const ARCHITECT_DATA_PLAIN: PlainSchema = {
  "type": "object",
  "shape": {
    "modules": {"type":"number","checks":[{"check":"safeint"},{"check":"greater_than","value":0,"inclusive":true}]},
    "edges": {"type":"number","checks":[{"check":"safeint"},{"check":"greater_than","value":0,"inclusive":true}]},
    "cycles": {"type":"array","element":{"type":"array","element":{"type":"string"}}},
    "cycleExamples": {"type":"array","element":{"type":"array","element":{"type":"string"}}},
    "cycleCount": {
      "type": "object",
      "shape": {
        "count": {"type":"number","checks":[{"check":"safeint"},{"check":"greater_than","value":0,"inclusive":true}]},
        "complete": {"type":"boolean"}
      }
    },
    "orphans": {"type":"array","element":{"type":"string"}},
    "components": {
      "type": "array",
      "element": {
        "type": "object",
        "shape": {
          "name": {"type":"string"},
          "kind": {"type":"enum","values":["package","folder"]},
          "modules": {"type":"number","checks":[{"check":"safeint"}]},
          "fanIn": {"type":"number","checks":[{"check":"safeint"}]},
          "fanOut": {"type":"number","checks":[{"check":"safeint"}]},
          "instability": {"type":"number"},
          "inCycle": {"type":"boolean"},
          "dependsOn": {
            "type": "array",
            "element": {
              "type": "object",
              "shape": {"name":{"type":"string"},"edges":{"type":"number","checks":[{"check":"safeint"}]}}
            }
          }
        }
      }
    },
    "unresolved": {
      "type": "array",
      "element": {
        "type": "object",
        "shape": {"from":{"type":"string"},"specifier":{"type":"string"},"line":{"type":"number","checks":[{"check":"safeint"}]}}
      }
    },
    "violations": {
      "type": "array",
      "element": {
        "type": "object",
        "shape": {
          "rule": {"type":"string"},
          "severity": {"type":"enum","values":["error","warning","info"]},
          "from": {"type":"string"},
          "to": {"type":"string"},
          "line": {"type":"number","checks":[{"check":"safeint"}]},
          "typeOnly": {"type":"boolean"},
          "comment": {"type":"optional","inner":{"type":"string"}}
        }
      }
    },
    "external": {
      "type": "array",
      "element": {
        "type": "object",
        "shape": {
          "name": {"type":"string"},
          "imports": {"type":"number","checks":[{"check":"safeint"}]},
          "builtin": {"type":"boolean"}
        }
      }
    },
    "typeEdges": {"type":"enum","values":["include","exclude"]},
    "typeOnlyEdges": {"type":"number","checks":[{"check":"safeint"},{"check":"greater_than","value":0,"inclusive":true}]},
    "otherTypeEdges": {
      "type": "object",
      "shape": {
        "typeEdges": {"type":"enum","values":["include","exclude"]},
        "cycles": {"type":"number","checks":[{"check":"safeint"}]},
        "modulesInCycles": {"type":"number","checks":[{"check":"safeint"}]}
      }
    },
    "workspaces": {
      "type": "object",
      "shape": {
        "enabled": {"type":"boolean"},
        "packages": {"type":"number","checks":[{"check":"safeint"}]},
        "edges": {"type":"number","checks":[{"check":"safeint"}]}
      }
    },
    "nonModuleImports": {"type":"number","checks":[{"check":"safeint"},{"check":"greater_than","value":0,"inclusive":true}]},
    "parseErrors": {
      "type": "array",
      "element": {
        "type": "object",
        "shape": {"file":{"type":"string"},"line":{"type":"number","checks":[{"check":"safeint"}]},"message":{"type":"string"}}
      }
    },
    "planned": {
      "type": "array",
      "element": {
        "type": "object",
        "shape": {
          "path": {"type":"string"},
          "component": {"type":"string"},
          "exists": {"type":"boolean"},
          "imports": {
            "type": "array",
            "element": {
              "type": "object",
              "shape": {
                "import": {"type":"string"},
                "resolved": {"type":"nullable","inner":{"type":"string"}},
                "kind": {"type":"enum","values":["module","planned","external","unresolved"]}
              }
            }
          },
          "createsCycle": {"type":"boolean"},
          "cycle": {"type":"optional","inner":{"type":"array","element":{"type":"string"}}},
          "violations": {
            "type": "array",
            "element": {
              "type": "object",
              "shape": {
                "rule": {"type":"string"},
                "severity": {"type":"enum","values":["error","warning","info"]},
                "to": {"type":"string"},
                "comment": {"type":"optional","inner":{"type":"string"}}
              }
            }
          }
        }
      }
    },
    "configProblems": {"type":"array","element":{"type":"string"}},
    "stats": {
      "type": "object",
      "shape": {
        "files": {"type":"number","checks":[{"check":"safeint"}]},
        "bytes": {"type":"number","checks":[{"check":"safeint"}]},
        "cached": {"type":"number","checks":[{"check":"safeint"}]},
        "parsed": {"type":"number","checks":[{"check":"safeint"}]},
        "parsedInline": {"type":"number","checks":[{"check":"safeint"}]},
        "parsedInPool": {"type":"number","checks":[{"check":"safeint"}]},
        "chunks": {"type":"number","checks":[{"check":"safeint"}]},
        "oxcFallbacks": {"type":"number","checks":[{"check":"safeint"}]},
        "resolutionsReused": {"type":"number","checks":[{"check":"safeint"}]},
        "timingsMs": {
          "type": "object",
          "shape": {
            "discover": {"type":"number"},
            "parse": {"type":"number"},
            "resolve": {"type":"number"},
            "analyse": {"type":"number"}
          }
        }
      }
    }
  }
};
