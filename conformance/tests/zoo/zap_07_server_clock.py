# Desvio: o 07 leva a hora do servidor (o momento da entrega), nao o
# timestamp do 05 entregue.
from zap_base import ServidorZap, main


class Servidor(ServidorZap):
    def quadro_07(self, destinatario, ts):
        return "07" + destinatario + self.agora()


if __name__ == "__main__":
    main(Servidor)
