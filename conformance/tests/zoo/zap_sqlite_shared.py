# Desvio: o estado mora num banco sqlite3, com uma unica conexao (e um unico
# cursor) para todas as threads (check_same_thread=False), sem lock.
import sqlite3

from zap_base import ServidorZap, main
from zap_json_nolock import SemLock


class Servidor(ServidorZap):
    PERSISTIR = False  # o banco guarda tudo

    def __init__(self, porta):
        super().__init__(porta)
        self.lock = SemLock()
        self.db = sqlite3.connect("zap.db", check_same_thread=False)
        self.cur = self.db.cursor()
        self.cur.execute("CREATE TABLE IF NOT EXISTS usuarios (id TEXT PRIMARY KEY)")
        self.cur.execute("CREATE TABLE IF NOT EXISTS grupos (id TEXT, membro TEXT, ordem INTEGER)")
        self.cur.execute(
            "CREATE TABLE IF NOT EXISTS pendentes "
            "(seq INTEGER PRIMARY KEY AUTOINCREMENT, dono TEXT, quadro TEXT, origem TEXT, ts TEXT)"
        )
        self.cur.execute("CREATE TABLE IF NOT EXISTS contador (valor INTEGER)")
        self.cur.execute("SELECT valor FROM contador")
        if self.cur.fetchone() is None:
            self.cur.execute("INSERT INTO contador VALUES (1)")
        self.db.commit()
        self.usuarios = Usuarios(self)
        self.grupos = Grupos(self)
        self.pendentes = Pendentes(self)

    def gerar_id(self):
        self.cur.execute("SELECT valor FROM contador")
        valor = self.cur.fetchone()[0]
        self.cur.execute("UPDATE contador SET valor = ?", (valor + 1,))
        self.db.commit()
        return str(5000000000000 + valor)


class Usuarios:
    """A lista de usuarios da base, lida e escrita no banco."""

    def __init__(self, s):
        self.s = s

    def __contains__(self, uid):
        self.s.cur.execute("SELECT 1 FROM usuarios WHERE id = ?", (uid,))
        return self.s.cur.fetchone() is not None

    def append(self, uid):
        self.s.cur.execute("INSERT INTO usuarios VALUES (?)", (uid,))
        self.s.db.commit()


class Grupos:
    """O dicionario de grupos da base, lido e escrito no banco."""

    def __init__(self, s):
        self.s = s

    def __contains__(self, gid):
        self.s.cur.execute("SELECT 1 FROM grupos WHERE id = ?", (gid,))
        return self.s.cur.fetchone() is not None

    def __getitem__(self, gid):
        self.s.cur.execute("SELECT membro FROM grupos WHERE id = ? ORDER BY ordem", (gid,))
        return [linha[0] for linha in self.s.cur.fetchall()]

    def __setitem__(self, gid, membros):
        for ordem, membro in enumerate(membros):
            self.s.cur.execute("INSERT INTO grupos VALUES (?, ?, ?)", (gid, membro, ordem))
        self.s.db.commit()


class Pendentes:
    """As mensagens guardadas da base, no banco."""

    def __init__(self, s):
        self.s = s

    def setdefault(self, dono, _vazio):
        return Fila(self.s, dono)

    def pop(self, dono, _vazio):
        self.s.cur.execute(
            "SELECT quadro, origem, ts FROM pendentes WHERE dono = ? ORDER BY seq", (dono,)
        )
        itens = []
        for quadro, origem, ts in self.s.cur.fetchall():
            item = {"quadro": quadro}
            if origem is not None:
                item["origem"] = origem
                item["ts"] = ts
            itens.append(item)
        self.s.cur.execute("DELETE FROM pendentes WHERE dono = ?", (dono,))
        self.s.db.commit()
        return itens


class Fila:
    def __init__(self, s, dono):
        self.s = s
        self.dono = dono

    def append(self, item):
        self.s.cur.execute(
            "INSERT INTO pendentes (dono, quadro, origem, ts) VALUES (?, ?, ?, ?)",
            (self.dono, item["quadro"], item.get("origem"), item.get("ts")),
        )
        self.s.db.commit()


if __name__ == "__main__":
    main(Servidor)
