// Janus Lab dialect (spec/LANGUAGE.md). Visitor only: AstBuilder turns the parse tree into
// records; no semantic code lives here.
//
// Newlines end statements. The lexer drops a newline while the innermost open bracket is
// `(` or `[` (so argument lists and array literals may span lines) and keeps it inside `{`
// (closure bodies are statement lists). After a binary operator or `,` the parser skips
// newlines itself (`nl*`).
grammar Janus;

@lexer::members {
    // Stack of open brackets: '(' '[' '{'. Kept small and explicit so NL handling is obvious.
    private final java.util.ArrayDeque<Character> brackets = new java.util.ArrayDeque<>();
    private void open(char c) { brackets.push(c); }
    private void close(char c) { if (!brackets.isEmpty() && brackets.peek() == c) brackets.pop(); }
    private boolean newlineIgnored() {
        return !brackets.isEmpty() && brackets.peek() != '{';
    }
}

program : (decl | sep)* EOF ;

sep : NL | ';' ;

decl
    : ASYNC? FUNC name=ID '(' params? ')' ('->' type)? DO block END      # funcDecl
    | STRUCT name=ID '{' nl* (field (nl* ',' nl* field)* nl* ','?)? nl* '}' # structDecl
    | ERROR name=ID '{' nl* (ID (nl* ',' nl* ID)* nl* ','?)? nl* '}'        # errorDecl
    | LET name=ID (':' type)? '=' nl* expr                                 # letDecl
    | VAR name=ID (':' type)? '=' nl* expr                                 # varDecl
    ;

params : param (',' param)* ','? ;
param  : ID (':' type)? ;
field  : ID ':' type ;

type
    : type '!' ID                  # errorUnionType
    | ID '<' type '>'              # genericType
    | '[' type ']'                 # arrayType
    | ID                           # namedType
    ;

block : sep* (stmt (sep+ stmt)*)? sep* ;

stmt
    : LET name=ID (':' type)? '=' nl* expr                                      # letStmt
    | VAR name=ID (':' type)? '=' nl* expr                                      # varStmt
    | IF expr thenKw block (ELSE IF expr thenKw block)* (ELSE block)? END      # ifStmt
    | WHILE expr DO block END                                                  # whileStmt
    | FOR ID IN expr (op=('..' | '..<') expr)? DO block END                    # forStmt
    | BREAK                                                                    # breakStmt
    | CONTINUE                                                                 # continueStmt
    | RETURN expr?                                                             # returnStmt
    | FAIL expr                                                                # failStmt
    | DEFER (DO block END | expr)                                              # deferStmt
    | NURSERY ('|' ID '|')? DO block END                                       # nurseryStmt
    | expr (op=('=' | '+=' | '-=' | '*=' | '/=' | '%=') nl* expr)?            # exprStmt
    ;

thenKw : THEN | DO ;

nl : NL ;

expr
    : postfix                                                        # postfixExpr
    | op=('-' | AWAIT | ASYNC | SPAWN) expr                          # prefixExpr
    | expr op=('*' | '/' | '%') nl* expr                             # binaryExpr
    | expr op=('+' | '-') nl* expr                                   # binaryExpr
    | expr op=('==' | '!=' | '<' | '<=' | '>' | '>=') nl* expr       # binaryExpr
    | NOT expr                                                       # notExpr
    | expr op=AND nl* expr                                           # binaryExpr
    | expr op=OR nl* expr                                            # binaryExpr
    | expr CATCH '|' ID '|' (DO block END | expr)                    # catchExpr
    ;

postfix
    : primary                                                        # primaryPostfix
    | postfix '.' ID ('(' args? ')')? closure?                       # memberPostfix
    | postfix '(' args? ')' closure?                                 # callPostfix
    | postfix '[' expr ']'                                           # indexPostfix
    ;

args : expr (',' expr)* ','? ;

primary
    : INT                                                            # intLit
    | FLOAT                                                          # floatLit
    | STRING                                                         # stringLit
    | TRUE                                                           # trueLit
    | FALSE                                                          # falseLit
    | NIL                                                            # nilLit
    | ID '{' nl* (fieldInit (nl* ',' nl* fieldInit)* nl* ','?)? nl* '}'  # structLit
    | ID                                                             # nameRef
    | '[' args? ']'                                                  # arrayLit
    | closure                                                        # closureLit
    | '(' expr ')'                                                   # parenExpr
    ;

fieldInit : ID ':' nl* expr ;

closure : '{' ('|' (ID (',' ID)*)? '|' | '||')? block '}' ;

// ---- lexer -----------------------------------------------------------------------------

FUNC : 'func' ; ASYNC : 'async' ; AWAIT : 'await' ; SPAWN : 'spawn' ; NURSERY : 'nursery' ;
LET : 'let' ; VAR : 'var' ; IF : 'if' ; THEN : 'then' ; ELSE : 'else' ; WHILE : 'while' ;
FOR : 'for' ; IN : 'in' ; DO : 'do' ; END : 'end' ; RETURN : 'return' ; BREAK : 'break' ;
CONTINUE : 'continue' ; FAIL : 'fail' ; CATCH : 'catch' ; DEFER : 'defer' ;
STRUCT : 'struct' ; ERROR : 'error' ; AND : 'and' ; OR : 'or' ; NOT : 'not' ;
TRUE : 'true' ; FALSE : 'false' ; NIL : 'nil' ;

LPAREN : '(' { open('('); } ;
RPAREN : ')' { close('('); } ;
LBRACK : '[' { open('['); } ;
RBRACK : ']' { close('['); } ;
LBRACE : '{' { open('{'); } ;
RBRACE : '}' { close('{'); } ;

ARROW : '->' ;
RANGE_EXCL : '..<' ;
RANGE : '..' ;
DOT : '.' ;
COMMA : ',' ;
COLON : ':' ;
SEMI : ';' ;
OROR : '||' ;
PIPE : '|' ;
PLUS_ASSIGN : '+=' ; MINUS_ASSIGN : '-=' ; STAR_ASSIGN : '*=' ; SLASH_ASSIGN : '/=' ; PERCENT_ASSIGN : '%=' ;
EQ : '==' ; NE : '!=' ; LE : '<=' ; GE : '>=' ; LT : '<' ; GT : '>' ;
ASSIGN : '=' ;
BANG : '!' ;
PLUS : '+' ; MINUS : '-' ; STAR : '*' ; SLASH : '/' ; PERCENT : '%' ;

FLOAT
    : DIGITS '.' DIGITS EXPONENT?
    | DIGITS EXPONENT
    ;
INT
    : '0' [xX] [0-9a-fA-F_]*
    | '0' [bB] [01_]*
    | DIGITS
    ;
fragment DIGITS : [0-9] [0-9_]* ;
fragment EXPONENT : [eE] [+-]? [0-9]+ ;

ID : [A-Za-z_] [A-Za-z0-9_]* ;

STRING : '"' (~["\\\r\n] | '\\' ~[\r\n])* '"' ;
// A string with no closing quote on its line: reported as a lexical error by the front end.
UNTERMINATED_STRING : '"' (~["\\\r\n] | '\\' ~[\r\n])* '\\'? ;

LINE_COMMENT : '//' ~[\r\n]* -> skip ;
BLOCK_COMMENT : '/*' .*? '*/' -> skip ;
UNTERMINATED_COMMENT : '/*' ( ~[*] | '*'+ ~[*/] )* '*'* EOF ;

NL : ('\r'? '\n' | '\r') { if (newlineIgnored()) skip(); } ;
WS : [ \t\f]+ -> skip ;

BAD_CHAR : . ;
